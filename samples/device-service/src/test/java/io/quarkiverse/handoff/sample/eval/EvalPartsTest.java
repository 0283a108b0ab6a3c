package io.quarkiverse.handoff.sample.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.handoff.Conversation;
import io.quarkiverse.handoff.OpenerStop;
import io.quarkiverse.handoff.event.DoneEvent;

/** The eval's parts that need no application: the prompt file, the judge-free checks, the judge's answers, CSV. */
class EvalPartsTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final PlainEnglish PLAIN = PlainEnglish.load();

    @Test
    void theDefaultSetCoversEveryCategoryWithSingleAndMultiTurnConversations() {
        List<EvalConversation> conversations = EvalPrompts.defaultSet(MAPPER);
        assertThat(conversations).hasSizeBetween(40, 60);
        assertThat(conversations.stream().map(EvalConversation::category).distinct()).containsExactly("how-to",
                "chit-chat", "arithmetic", "conversions", "messages", "reminders", "weather", "music", "smart-home",
                "definitions", "follow-ups", "refusals");
        assertThat(conversations).filteredOn(c -> c.category().equals("follow-ups"))
                .allMatch(c -> c.conversation().turnIndex() >= 1);
        assertThat(conversations).extracting(EvalConversation::line).startsWith(1, 2, 3);
    }

    @Test
    void aPromptLineMayNameItsProfileAndBlankLinesAreSkipped() {
        List<EvalConversation> conversations = EvalPrompts.parse("set.jsonl", """
                {"category": "math", "messages": [{"role": "user", "content": "What is 2 plus 2?"}], "profile": "watch"}

                {"category": "chat", "messages": [{"role": "system", "content": "Be brief."}, \
                {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}, \
                {"role": "user", "content": "How are you?"}]}
                """, MAPPER);
        assertThat(conversations).extracting(EvalConversation::line).containsExactly(1, 3);
        assertThat(conversations.get(0).profile()).isEqualTo("watch");
        assertThat(conversations.get(1).profile()).isNull();
        assertThat(conversations.get(1).conversation().messages()).hasSize(4);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"category\": \"a\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}\\n{oops| set.jsonl:2: not JSON (at column 2| write the whole conversation on one line",
            "{\"category\": \"a\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}| set.jsonl:1: not JSON (at column | Unexpected end-of-input: expected close marker for Array): write the whole conversation on one line",
            "{\"category\": \"a\", \"messages\": [{\"role\": \"bot\", \"content\": \"hi\"}]}| set.jsonl:1: messages[0]: unknown message role 'bot'| use one of system, user, assistant",
            "{\"category\": \"a\", \"messages\": []}| set.jsonl:1: no 'messages'| with the user's question last",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}| set.jsonl:1: no 'category'| \"category\": \"how-to\"",
            "{\"category\": \"a\", \"catgory\": \"b\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}| set.jsonl:1: unknown field 'catgory'| 'category', 'messages' and optionally 'profile'",
            "{\"category\": \"a\", \"messages\": [{\"role\": \"user\"}]}| set.jsonl:1: messages[0] needs a 'content' string| {\"role\": \"user\", \"content\": \"...\"}",
            "{\"category\": \"a\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"content\": \"yes?\"}]}| set.jsonl:1: the last message of a conversation must be the user's| role 'user'",
            "[1, 2]| set.jsonl:1: not a JSON object| {\"category\": \"how-to\"",
            "\\n  \\n| set.jsonl: no conversations| one JSON object per line",
    })
    void aBadLineIsOneMessageThatNamesTheFileAndLineAndSaysHowToFixIt(String text, String where, String fix) {
        assertThatThrownBy(() -> EvalPrompts.parse("set.jsonl", text.replace("\\n", "\n"), MAPPER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(where.strip()).hasMessageContaining(fix.strip())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void ungroundedFactsAreNumbersAndNamesTheConversationLacks() {
        Conversation question = Conversation.of("What is 17 times 23?");
        String said = question.lastUserMessage();
        List<String> opener = OpenerChecks.words("17 times 23 equals 74, says Noah. Lima is nice.");
        List<String> facts = OpenerChecks.ungroundedFacts(opener, said,
                core -> Character.isUpperCase(core.charAt(0)) && !PLAIN.contains(core));
        // 17 and 23 are grounded; "Lima" starts a sentence but is no plain word; "Noah" is capitalized mid-sentence
        assertThat(facts).containsExactly("74,", "Noah.", "Lima");
        assertThat(OpenerChecks.ungroundedFacts(OpenerChecks.words("Ten minutes, okay. Sure, I'll set it."),
                "Set a timer for 10 minutes", core -> false)).isEmpty();
    }

    @Test
    void madeUpWordsAreLowerCaseWordsOutsideTheListAndLettersGluedToDigits() {
        List<String> opener = OpenerChecks.words("Sure, I'll text Sarah tenhe that you're runnning late twelve10 "
                + "at 6:30pm, 5km away, don't worry, it's Sarah's ten-minute walk");
        assertThat(OpenerChecks.madeUpWords(opener, "Text Sarah that I'm running late", PLAIN))
                .containsExactly("tenhe", "runnning", "twelve10");
        assertThat(PLAIN.contains("won't")).isTrue();
        assertThat(PLAIN.contains("Here\u2019s")).isTrue();
        assertThat(PLAIN.contains("kilometers")).isTrue();
        assertThat(PLAIN.contains("xqzt")).isFalse();
        assertThat(PLAIN.size()).isGreaterThan(30_000);
    }

    @Test
    void repeatsAreWordsSaidTwiceInARowAndAcrossTheSeam() {
        assertThat(OpenerChecks.repeatedWords(OpenerChecks.words("The the sky is is blue, and that that is")))
                .containsExactly("the", "is");
        assertThat(OpenerChecks.repeatedWords(OpenerChecks.words("I had had enough"))).isEmpty();
        assertThat(OpenerChecks.repeatsAcrossTheSeam(OpenerChecks.words("The sky is"), " is blue.")).isTrue();
        assertThat(OpenerChecks.repeatsAcrossTheSeam(OpenerChecks.words("The sky is"), " blue.")).isFalse();
        assertThat(OpenerChecks.repeatsAcrossTheSeam(List.of(), "Blue.")).isFalse();
    }

    @Test
    void aGuardStopIsTheOpenerStopThatTheDoneEventReports() {
        EvalConversation peru = new EvalConversation(1, "definitions", Conversation.of("What is the capital of Peru?"),
                null);
        OpenerStop guard = new OpenerStop(OpenerStop.UNGROUNDED_FACT, " Lima,", "NAME", 0.7, List.of());
        EvalResult stopped = EvalResult.of(peru, "phone", 1, List.of(done("The capital of Peru is", guard)), 10.0,
                PLAIN);
        assertThat(stopped.guardStop()).isTrue();
        assertThat(EvalReport.stop(stopped.openerStop())).isEqualTo("ungrounded-fact before \"Lima,\"");

        OpenerStop planned = new OpenerStop(OpenerStop.PLANNED_WORDS, null, null, null, List.of());
        EvalResult said = EvalResult.of(peru, "phone", 1, List.of(done("The capital of Peru is Lima.", planned)),
                10.0, PLAIN);
        assertThat(said.guardStop()).isFalse();
        assertThat(EvalReport.stop(said.openerStop())).isEqualTo("planned-words");
        // an opener that does not report its stop: no guard stop is claimed, the column stays empty
        EvalResult unknown = EvalResult.of(peru, "phone", 1, List.of(done("The capital of Peru is", null)), 10.0,
                PLAIN);
        assertThat(unknown.guardStop()).isFalse();
        assertThat(EvalReport.stop(unknown.openerStop())).isEmpty();
        assertThat(EvalReport.CSV_COLUMNS).as("a new column comes last: tools read the others by position too")
                .endsWith("judge_note", "failure", "opener_stop", "opener_stop_fact");
    }

    private static DoneEvent done(String opener, OpenerStop stop) {
        return DoneEvent.builder().text(opener + " Sorry.").opener(opener).continuation(" Sorry.").strategy("local")
                .continuator("embedded").openerStop(stop).build();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "{\"grade\": 2, \"reason\": \"right\"}| 2| right",
            "```json\\n{\"grade\": \"1\", \"reason\": \"generic\"}\\n```| 1| generic",
            "Sure! Here is my grade: {\"reason\": \"off-topic\", \"grade\": 0}| 0| off-topic",
            "Grade: 2 (the opener is right)| 2| ~~",
            "1| 1| ~~",
    })
    void theGradeIsReadFromJsonOrFromALooserAnswer(String answer, int score, String reason) {
        Judge.Grade grade = judge("http://127.0.0.1:1/v1").readGrade(answer.replace("\\n", "\n"));
        assertThat(grade.score()).isEqualTo(score);
        assertThat(grade.reason()).isEqualTo(reason);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "I think it is quite good.| holds no grade: \"I think it is quite good.\"",
            "{\"grade\": 7}| grade 7, outside 0-2",
    })
    void anAnswerWithoutAGradeFromZeroToTwoIsUngradedAndSaysWhy(String answer, String why) {
        Judge.Grade grade = judge("http://127.0.0.1:1/v1").readGrade(answer);
        assertThat(grade.graded()).isFalse();
        assertThat(grade.reason()).contains(why);
        assertThat(judge("http://127.0.0.1:1/v1").grade("<html>502 Bad Gateway</html>").reason())
                .startsWith("the judge's answer is not a chat completion");
    }

    @Test
    void aJudgeThatRefusesTheConnectionIsUnavailableWithAClearMessage() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Judge judge = judge("http://127.0.0.1:" + port + "/v1/");
        assertThat(judge.endpoint()).hasToString("http://127.0.0.1:" + port + "/v1/chat/completions");
        assertThatThrownBy(() -> judge.gradeOpener(Conversation.of("Hi"), "Hello"))
                .isInstanceOf(Judge.UnavailableException.class)
                .hasMessage("cannot connect to the judge at http://127.0.0.1:" + port + "/v1/chat/completions "
                        + "(connection refused or unreachable): is --judge-url right and the server running?");
    }

    @Test
    void csvFieldsAreQuotedWhenTheyHoldCommasQuotesOrLineBreaks() {
        assertThat(EvalReport.csvField("plain")).isEqualTo("plain");
        assertThat(EvalReport.csvField("a, b")).isEqualTo("\"a, b\"");
        assertThat(EvalReport.csvField("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(EvalReport.csvField("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(EvalReport.csvField(" leading space")).isEqualTo("\" leading space\"");
        assertThat(EvalReport.escape("<b onclick='x'>&\"")).isEqualTo("&lt;b onclick=&#39;x&#39;&gt;&amp;&quot;");
    }

    private static Judge judge(String url) {
        return new Judge(url, "judge-model", null, Duration.ofSeconds(5), MAPPER);
    }
}
