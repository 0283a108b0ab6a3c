package io.quarkiverse.handoff.runtime.continuator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.langchain4j.model.ModelProvider;

/** A langchain4j continuator is named after the provider that answers, never "default". */
class ContinuatorNameTest {

    @Test
    void theProviderNamesTheContinuator() {
        assertThat(ContinuatorProducer.continuatorName(ModelProvider.OPEN_AI, null)).isEqualTo("langchain4j:openai");
        assertThat(ContinuatorProducer.continuatorName(ModelProvider.OLLAMA, null)).isEqualTo("langchain4j:ollama");
        assertThat(ContinuatorProducer.continuatorName(ModelProvider.AZURE_OPEN_AI, null))
                .isEqualTo("langchain4j:azure-openai");
        assertThat(ContinuatorProducer.continuatorName(null, null)).isEqualTo("langchain4j:other");
    }

    @Test
    void aNamedModelAddsItsName() {
        assertThat(ContinuatorProducer.continuatorName(ModelProvider.OPEN_AI, "fast"))
                .isEqualTo("langchain4j:openai:fast");
    }
}
