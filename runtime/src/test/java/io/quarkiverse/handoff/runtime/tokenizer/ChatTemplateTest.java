package io.quarkiverse.handoff.runtime.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkiverse.handoff.ChatMessage;

/** Native rendering compared with transformers' apply_chat_template (chat_cases.json). */
class ChatTemplateTest {

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicNode> rendersLikeTransformers() {
        JsonNode fixture = Fixtures.json(Fixtures.resource("tokenizer/chat_cases.json"));
        List<DynamicNode> containers = new ArrayList<>();
        for (JsonNode t : fixture.get("templates")) {
            String name = t.get("name").asText();
            String source = t.get("template").asText();
            String bos = t.get("bos_token").isNull() ? null : t.get("bos_token").asText();
            List<DynamicNode> tests = new ArrayList<>();
            tests.add(DynamicTest.dynamicTest("detection", () -> {
                ChatTemplate template = ChatTemplate.fromSource(source, bos, name);
                assertThat(template.family().configName()).isEqualTo(t.get("family").asText());
                String expectedSystem = t.get("default_system").isNull() ? null : t.get("default_system").asText();
                assertThat(template.defaultSystemMessage().orElse(null)).isEqualTo(expectedSystem);
            }));
            for (JsonNode c : t.get("cases")) {
                tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                    ChatTemplate template = ChatTemplate.fromSource(source, bos, name);
                    List<ChatMessage> messages = Fixtures.messages(c.get("messages"));
                    String rendered = c.has("assistant_prefix")
                            ? template.renderWithAssistantPrefix(messages, c.get("assistant_prefix").asText())
                            : template.render(messages, c.get("add_generation_prompt").asBoolean());
                    assertThat(rendered).isEqualTo(c.get("expected").asText());
                }));
            }
            containers.add(DynamicContainer.dynamicContainer(name, tests));
        }
        return containers.stream();
    }

    @Test
    void builtInFamilies() {
        List<ChatMessage> chat = List.of(ChatMessage.user("Hi"));
        assertThat(ChatTemplate.ofFamily("chatml").render(chat))
                .isEqualTo("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
        assertThat(ChatTemplate.ofFamily("ChatML").family()).isEqualTo(ChatTemplate.Family.CHATML);
        assertThat(ChatTemplate.ofFamily("llama-3").render(chat)).isEqualTo(
                "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\n");
        assertThat(ChatTemplate.chatMl("Be nice.").render(chat, false))
                .isEqualTo("<|im_start|>system\nBe nice.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n");
        assertThat(ChatTemplate.chatMl(null).endOfTurnToken()).isEqualTo("<|im_end|>");
        assertThat(ChatTemplate.llama3(null).endOfTurnToken()).isEqualTo("<|eot_id|>");
        assertThat(ChatTemplate.chatMl(null).renderWithAssistantPrefix(chat, "Hello"))
                .endsWith("<|im_start|>assistant\nHello");
    }

    @Test
    void unknownFamilyNamesTheProperty() {
        assertThatThrownBy(() -> ChatTemplate.ofFamily("mistral"))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("mistral")
                .hasMessageContaining(ChatTemplate.CONFIG_PROPERTY)
                .hasMessageContaining("chatml, llama3");
    }

    @Test
    void unknownTemplateNamesTheFileAndTheProperty() throws IOException {
        Path config = tmp.resolve("tokenizer_config.json");
        Files.writeString(config, "{\"chat_template\": \"{% for m in messages %}[INST] {{ m['content'] }} [/INST]"
                + "{% endfor %}\"}");
        assertThatThrownBy(() -> ChatTemplate.load(tmp))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining(config.toString())
                .hasMessageContaining(ChatTemplate.CONFIG_PROPERTY)
                .hasMessageContaining("chatml");
        // the configured family wins over the model's template
        assertThat(ChatTemplate.resolve("chatml", tmp).family()).isEqualTo(ChatTemplate.Family.CHATML);
        assertThat(ChatTemplate.resolve("llama3", tmp).family()).isEqualTo(ChatTemplate.Family.LLAMA3);
    }

    @Test
    void missingTemplateNamesTheFile() throws IOException {
        Files.writeString(tmp.resolve("tokenizer_config.json"), "{\"eos_token\": \"<|im_end|>\"}");
        assertThatThrownBy(() -> ChatTemplate.load(tmp))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("tokenizer_config.json")
                .hasMessageContaining(ChatTemplate.CONFIG_PROPERTY);
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertThatThrownBy(() -> ChatTemplate.load(empty))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining(empty.toString());
    }

    @Test
    void llama31TemplatesAreRefusedWithAHint() {
        String template = "{{- bos_token }}{%- if not date_string is defined %}{%- set date_string = \"26 Jul 2024\" %}"
                + "{%- endif %}{{- \"<|start_header_id|>system<|end_header_id|>\\n\\n\" }}"
                + "{{- \"Cutting Knowledge Date: December 2023\\n\" }}";
        assertThatThrownBy(() -> ChatTemplate.fromSource(template, "<|begin_of_text|>", "Llama-3.2/tokenizer_config.json"))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("Llama-3.2/tokenizer_config.json")
                .hasMessageContaining(ChatTemplate.CONFIG_PROPERTY + "=llama3");
    }

    @Test
    void readsTemplateListsAndJinjaFilesAndTheBosToken() throws IOException {
        Files.writeString(tmp.resolve("tokenizer_config.json"), "{\"bos_token\": {\"content\": \"<s>\"}, "
                + "\"chat_template\": [{\"name\": \"tool_use\", \"template\": \"x\"}, {\"name\": \"default\", "
                + "\"template\": \"{{ '<|im_start|>system\\\\nDefault.<|im_end|>\\\\n' }}<|im_start|><|im_end|>\"}]}");
        ChatTemplate fromList = ChatTemplate.load(tmp);
        assertThat(fromList.defaultSystemMessage()).hasValue("Default.");

        Files.writeString(tmp.resolve("chat_template.jinja"), "{% for m in messages %}<|start_header_id|>"
                + "{{ m['role'] }}<|end_header_id|>\n\n{{ m['content'] | trim }}<|eot_id|>{% endfor %}");
        ChatTemplate fromJinja = ChatTemplate.load(tmp);
        assertThat(fromJinja.family()).isEqualTo(ChatTemplate.Family.LLAMA3);
        assertThat(fromJinja.bosToken()).isEqualTo("<s>");
        assertThat(fromJinja.origin()).endsWith("chat_template.jinja");
        assertThat(ChatTemplate.resolve("chat_template.jinja", tmp).family()).isEqualTo(ChatTemplate.Family.LLAMA3);
        assertThat(ChatTemplate.resolve(null, tmp).family()).isEqualTo(ChatTemplate.Family.LLAMA3);
    }

    @Test
    void defaultSystemMessageIsOnlyReadFromOneLiteral() {
        // the system header and the end marker are in different literals: no default system message
        String template = "{% if messages[0]['role'] == 'system' %}{{ '<|im_start|>system\\n' + messages[0]['content']"
                + " + '<|im_end|>\\n' }}{% endif %}{% for m in messages %}{{ '<|im_start|>' + m['role'] }}{% endfor %}";
        assertThat(ChatTemplate.fromSource(template, null, "t").defaultSystemMessage()).isEmpty();
        // double-quoted literal with escapes
        String escaped = "{{ \"<|im_start|>system\\nSay \\\"hi\\\" \\u00e9\\t!<|im_end|>\\n\" }}";
        assertThat(ChatTemplate.fromSource(escaped, null, "t").defaultSystemMessage()).hasValue("Say \"hi\" é\t!");
    }
}
