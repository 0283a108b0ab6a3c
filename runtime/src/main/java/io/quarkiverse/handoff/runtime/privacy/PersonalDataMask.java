package io.quarkiverse.handoff.runtime.privacy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.ContinuationRequest;
import io.quarkiverse.handoff.Conversation;

/**
 * Replaces personal identifiers in text that leaves the device by placeholders such as {@code [EMAIL_1]}, and restores
 * them in the text that comes back, so the cloud never sees them and the user never sees the placeholders.
 * <p>
 * It masks what can be recognised reliably without a language model: e-mail addresses, payment card numbers (Luhn
 * checked), IBANs (checksum verified), US social security numbers, IPv4 addresses and phone numbers. Names and postal
 * addresses are not recognised. One value always gets the same placeholder within a handoff, so the cloud can still
 * tell two addresses apart and refer back to one. One instance serves one handoff.
 */
public final class PersonalDataMask {

    /** What a placeholder stands for; declared in the order overlapping matches are preferred. */
    public enum Kind {
        EMAIL(Pattern.compile("(?<![\\w.+-])[\\w.+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}(?![\\w-])"),
                value -> true),
        CARD(Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])"), PersonalDataMask::passesLuhn),
        IBAN(Pattern.compile("(?<![A-Za-z0-9])[A-Z]{2}\\d{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])"),
                PersonalDataMask::isIban),
        SSN(Pattern.compile("(?<![\\d-])\\d{3}-\\d{2}-\\d{4}(?![\\d-])"), value -> true),
        IP(Pattern.compile("(?<![\\d.])(?:(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)(?!\\d|\\.\\d)"),
                value -> true),
        PHONE(Pattern.compile(
                "(?<![\\w+])(?:\\+\\d{1,3}[ .-]?)?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{2,4}(?:[ .-]?\\d{2,5}){1,4}(?![\\w])"),
                PersonalDataMask::looksLikePhone);

        private final Pattern pattern;
        private final Predicate<String> valid;

        Kind(Pattern pattern, Predicate<String> valid) {
            this.pattern = pattern;
            this.valid = valid;
        }
    }

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}|\\d{1,2}[.-]\\d{1,2}[.-]\\d{4}");

    private final Map<String, String> placeholderByValue = new LinkedHashMap<>();
    private final Map<String, String> valueByPlaceholder = new HashMap<>();
    private final Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
    private final String reserved;

    /**
     * @param texts every text this handoff may mask: a placeholder is never a string one of them already contains, so
     *        that restoring cannot turn the user's own bracketed text into something else
     */
    public PersonalDataMask(Collection<String> texts) {
        this.reserved = String.join("\n", texts);
    }

    /** Masks everything a continuation request sends to the cloud: the conversation, the opener, the correction. */
    public static MaskedRequest mask(ContinuationRequest request) {
        List<String> texts = new ArrayList<>();
        request.conversation().messages().forEach(m -> texts.add(m.content()));
        texts.add(request.committedOpener());
        request.correction().ifPresent(texts::add);
        PersonalDataMask mask = new PersonalDataMask(texts);
        List<ChatMessage> messages = request.conversation().messages().stream()
                .map(m -> new ChatMessage(m.role(), mask.mask(m.content()))).toList();
        Optional<String> correction = request.correction().map(mask::mask);
        ContinuationRequest masked = new ContinuationRequest(new Conversation(messages),
                mask.mask(request.committedOpener()), request.plan(), correction);
        return new MaskedRequest(masked, mask);
    }

    /** A continuation request ready to leave the device, and the mask that restores what comes back. */
    public record MaskedRequest(ContinuationRequest request, PersonalDataMask mask) {
    }

    /** Returns the text with every recognised identifier replaced by its placeholder. */
    public String mask(String text) {
        List<Match> matches = find(text);
        if (matches.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        for (Match match : matches) {
            out.append(text, at, match.start()).append(placeholderFor(match.kind(), match.value()));
            at = match.end();
        }
        return out.append(text, at, text.length()).toString();
    }

    /** How many distinct values were masked so far. */
    public int maskedValues() {
        return placeholderByValue.size();
    }

    /** A restorer for one stream of text coming back from the cloud. */
    public Restorer restorer() {
        return new Restorer(Map.copyOf(valueByPlaceholder));
    }

    private String placeholderFor(Kind kind, String value) {
        return placeholderByValue.computeIfAbsent(value, v -> {
            String placeholder;
            do {
                int n = counts.merge(kind, 1, Integer::sum);
                placeholder = "[" + kind.name() + "_" + n + "]";
            } while (reserved.contains(placeholder));
            valueByPlaceholder.put(placeholder, v);
            return placeholder;
        });
    }

    private record Match(Kind kind, int start, int end, String value) {
    }

    /** Non-overlapping matches in text order; where two overlap, the earlier start, then the earlier kind, wins. */
    private static List<Match> find(String text) {
        List<Match> all = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            Matcher m = kind.pattern.matcher(text);
            while (m.find()) {
                if (kind.valid.test(m.group())) {
                    all.add(new Match(kind, m.start(), m.end(), m.group()));
                }
            }
        }
        all.sort(Comparator.comparingInt(Match::start).thenComparing(Match::kind));
        List<Match> chosen = new ArrayList<>();
        int end = 0;
        for (Match match : all) {
            if (match.start() >= end) {
                chosen.add(match);
                end = match.end();
            }
        }
        return chosen;
    }

    static boolean passesLuhn(String value) {
        String digits = value.replaceAll("\\D", "");
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    /** The ISO 13616 check (mod 97 = 1); real account numbers are mostly digits, which rules out shouted words. */
    static boolean isIban(String value) {
        String iban = value.replace(" ", "");
        if (iban.substring(4).chars().filter(Character::isDigit).count() < 8) {
            return false;
        }
        String rearranged = iban.substring(4) + iban.substring(0, 4);
        int remainder = 0;
        for (int i = 0; i < rearranged.length(); i++) {
            int n = Character.digit(rearranged.charAt(i), 36);
            remainder = (n > 9 ? remainder * 100 + n : remainder * 10 + n) % 97;
        }
        return remainder == 1;
    }

    /**
     * 7 to 15 digits (E.164), not a date; a bare run of digits only when it is as long as a national number with area
     * code, so that amounts and counts ("1000000 meters") stay readable for the cloud.
     */
    static boolean looksLikePhone(String value) {
        long digits = value.chars().filter(Character::isDigit).count();
        if (digits < 7 || digits > 15 || DATE.matcher(value).matches()) {
            return false;
        }
        boolean formatted = value.startsWith("+") || value.contains("(") || !value.chars().allMatch(Character::isDigit);
        return formatted || digits >= 10;
    }

    /**
     * Puts the masked values back into a stream of text deltas. A placeholder may arrive split across deltas, so text
     * that could still become one is held back until it is complete or cannot be one any more; nothing else is held.
     */
    public static final class Restorer {
        private final Map<String, String> valueByPlaceholder;
        private final StringBuilder pending = new StringBuilder();

        Restorer(Map<String, String> valueByPlaceholder) {
            this.valueByPlaceholder = valueByPlaceholder;
        }

        /** Returns the restored text that can be shown now (possibly empty). */
        public String accept(String delta) {
            if (valueByPlaceholder.isEmpty() || pending.isEmpty() && delta.indexOf('[') < 0) {
                // nothing held and nothing that could start a placeholder: most deltas pass as they are
                return delta;
            }
            StringBuilder out = new StringBuilder(delta.length());
            for (int i = 0; i < delta.length(); i++) {
                take(delta.charAt(i), out);
            }
            return out.toString();
        }

        /** Returns what was held back when the stream ends. */
        public String finish() {
            String rest = pending.toString();
            pending.setLength(0);
            return rest;
        }

        private void take(char c, StringBuilder out) {
            if (pending.isEmpty() && c != '[') {
                out.append(c);
                return;
            }
            pending.append(c);
            String candidate = pending.toString();
            String value = valueByPlaceholder.get(candidate);
            if (value != null) {
                out.append(value);
                pending.setLength(0);
            } else if (!startsAPlaceholder(candidate)) {
                // not a placeholder after all: release its first character and look again at the rest, which may
                // itself start one ("[[EMAIL_1]")
                pending.setLength(0);
                out.append(candidate.charAt(0));
                for (int i = 1; i < candidate.length(); i++) {
                    take(candidate.charAt(i), out);
                }
            }
        }

        private boolean startsAPlaceholder(String text) {
            for (String placeholder : valueByPlaceholder.keySet()) {
                if (placeholder.startsWith(text)) {
                    return true;
                }
            }
            return false;
        }
    }
}
