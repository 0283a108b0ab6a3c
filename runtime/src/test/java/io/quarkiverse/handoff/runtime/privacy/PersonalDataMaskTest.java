package io.quarkiverse.handoff.runtime.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.ContinuationRequest;
import io.quarkiverse.handoff.Conversation;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.PlanDraft;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class PersonalDataMaskTest {

    private static String masked(String text) {
        return new PersonalDataMask(List.of(text)).mask(text);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Mail jane.doe+work@example.co.uk about it | Mail [EMAIL_1] about it",
            "My card is 4111 1111 1111 1111, charge it | My card is [CARD_1], charge it",
            "card 5500-0000-0000-0004 please | card [CARD_1] please",
            "Send it to DE89 3704 0044 0532 0130 00 today | Send it to [IBAN_1] today",
            "Use GB29NWBK60161331926819 | Use [IBAN_1]",
            "my SSN is 123-45-6789. | my SSN is [SSN_1].",
            "ping 192.168.1.20. | ping [IP_1].",
            "Call +1 (555) 123-4567 now | Call [PHONE_1] now",
            "call 555-123-4567 | call [PHONE_1]",
            "text 06 12 34 56 78 | text [PHONE_1]",
            "ring 5551234567 | ring [PHONE_1]",
            "call +44 20 7946 0958 | call [PHONE_1]",
    })
    void recognisesPersonalIdentifiers(String text, String expected) {
        assertThat(masked(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Set a timer for 10 minutes",
            "What is 1234 times 5678?",
            "Convert 1000000 meters to miles",
            "Remind me on 2026-12-01 at 10:30",
            "The meeting is on 01.12.2026",
            "My order number is 4111 1111 1111 1112", // fails the Luhn check: not a card
            "Pi is 3.14159",
            "Version 1.2.3 is out",
            "AT10 AND THEN WE GO HOME TONIGHT",
            "Write to me at jane at example dot com", // spelled out: not recognised, left as is
    })
    void leavesOrdinaryTextAlone(String text) {
        assertThat(masked(text)).isEqualTo(text);
    }

    @Test
    void oneValueKeepsOnePlaceholderAcrossTheConversation() {
        HandoffPlan plan = new PlanDraft().toPlan("phone", List.of());
        Conversation conversation = new Conversation(List.of(
                ChatMessage.user("My e-mail is ann@example.org and Bob's is bob@example.org"),
                ChatMessage.assistant("Noted: ann@example.org and bob@example.org."),
                ChatMessage.user("Forward the invoice to ann@example.org")));
        ContinuationRequest request = new ContinuationRequest(conversation, "Sure, I'll forward it to ann@example.org",
                plan, Optional.of("if wrong, correct ann@example.org gently"));

        PersonalDataMask.MaskedRequest masked = PersonalDataMask.mask(request);

        List<String> sent = new ArrayList<>();
        masked.request().conversation().messages().forEach(m -> sent.add(m.content()));
        assertThat(sent).containsExactly(
                "My e-mail is [EMAIL_1] and Bob's is [EMAIL_2]",
                "Noted: [EMAIL_1] and [EMAIL_2].",
                "Forward the invoice to [EMAIL_1]");
        assertThat(masked.request().committedOpener()).isEqualTo("Sure, I'll forward it to [EMAIL_1]");
        assertThat(masked.request().correction()).contains("if wrong, correct [EMAIL_1] gently");
        assertThat(masked.request().plan()).isSameAs(plan);
        assertThat(masked.mask().maskedValues()).isEqualTo(2);
        assertThat(masked.mask().restorer().accept("Done: sent to [EMAIL_1], not [EMAIL_2]."))
                .isEqualTo("Done: sent to ann@example.org, not bob@example.org.");
    }

    @Test
    void aPlaceholderTheUserAlreadyWroteIsNeverReused() {
        String text = "I wrote [EMAIL_1] as a template; my address is me@example.com";
        PersonalDataMask mask = new PersonalDataMask(List.of(text));
        assertThat(mask.mask(text)).isEqualTo("I wrote [EMAIL_1] as a template; my address is [EMAIL_2]");
        assertThat(mask.restorer().accept("[EMAIL_1] and [EMAIL_2]")).isEqualTo("[EMAIL_1] and me@example.com");
    }

    @Test
    void theRestorerHoldsOnlyWhatCouldStillBeAPlaceholder() {
        PersonalDataMask mask = new PersonalDataMask(List.of());
        mask.mask("call +1 555 123 4567");
        PersonalDataMask.Restorer restorer = mask.restorer();
        assertThat(restorer.accept("I'll call [PHO")).isEqualTo("I'll call ");
        assertThat(restorer.accept("NE_1] now [see")).isEqualTo("+1 555 123 4567 now [see");
        assertThat(restorer.accept(" [[PHONE_1]]")).isEqualTo(" [+1 555 123 4567]");
        assertThat(restorer.accept(" [PHONE_")).isEqualTo(" ");
        assertThat(restorer.finish()).as("an unfinished placeholder is released as it is").isEqualTo("[PHONE_");
    }

    @Test
    void withNothingMaskedTheRestorerPassesTextThrough() {
        PersonalDataMask.Restorer restorer = new PersonalDataMask(List.of()).restorer();
        assertThat(restorer.accept("[PIVOT] odd [EMAIL_1")).isEqualTo("[PIVOT] odd [EMAIL_1");
        assertThat(restorer.finish()).isEmpty();
    }

    /** Whatever the chunking of the cloud's stream, the restored text equals the reply with the real values. */
    @Property(tries = 300)
    void restoringIsIndependentOfHowTheStreamIsChunked(@ForAll("replies") List<String> parts,
            @ForAll("cuts") List<Integer> cuts) {
        String original = "Contact ann@example.org or +1 555 123 4567 or card 4111 1111 1111 1111.";
        PersonalDataMask mask = new PersonalDataMask(List.of(original));
        assertThat(mask.mask(original)).isEqualTo("Contact [EMAIL_1] or [PHONE_1] or card [CARD_1].");
        String maskedReply = String.join("", parts);
        String expected = maskedReply.replace("[EMAIL_1]", "ann@example.org").replace("[PHONE_1]", "+1 555 123 4567")
                .replace("[CARD_1]", "4111 1111 1111 1111");

        PersonalDataMask.Restorer restorer = mask.restorer();
        StringBuilder restored = new StringBuilder();
        int at = 0;
        for (int cut : cuts.stream().map(c -> Math.min(c, maskedReply.length())).sorted().toList()) {
            restored.append(restorer.accept(maskedReply.substring(at, Math.max(at, cut))));
            at = Math.max(at, cut);
        }
        restored.append(restorer.accept(maskedReply.substring(at))).append(restorer.finish());
        assertThat(restored.toString()).isEqualTo(expected);
    }

    @Provide
    Arbitrary<List<String>> replies() {
        Arbitrary<String> words = Arbitraries.of(" I", " will", " write", " to", "[EMAIL_1]", "[PHONE_1]", "[CARD_1]",
                "[EMAIL_2]", "[", "]", "[[", " [PHONE", "_1", "[CARD_1", ".", " [note]");
        return words.list().ofMinSize(1).ofMaxSize(25);
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 300).list().ofMaxSize(40);
    }
}
