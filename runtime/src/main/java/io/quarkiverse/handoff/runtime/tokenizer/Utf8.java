package io.quarkiverse.handoff.runtime.tokenizer;

import java.util.Arrays;

/**
 * UTF-8 encoding and lossy decoding with the same results as Rust's {@code String::from_utf8_lossy} (which the Hugging
 * Face decoders use): every maximal invalid subpart becomes one U+FFFD. The decoder can also stop before an
 * incomplete trailing sequence, for streaming.
 */
final class Utf8 {

    static final char REPLACEMENT = '\uFFFD';

    private Utf8() {
    }

    /** UTF-8 bytes of {@code text}; an unpaired surrogate (which no UTF-8 text can hold) is encoded as U+FFFD. */
    static byte[] encode(String text) {
        int n = text.length();
        byte[] out = new byte[n * 3];
        int size = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            int cp = c;
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                cp = Character.toCodePoint(c, text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                cp = REPLACEMENT;
            }
            if (cp < 0x80) {
                out[size++] = (byte) cp;
            } else if (cp < 0x800) {
                out[size++] = (byte) (0xC0 | (cp >> 6));
                out[size++] = (byte) (0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                out[size++] = (byte) (0xE0 | (cp >> 12));
                out[size++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[size++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                out[size++] = (byte) (0xF0 | (cp >> 18));
                out[size++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                out[size++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[size++] = (byte) (0x80 | (cp & 0x3F));
            }
        }
        return size == out.length ? out : Arrays.copyOf(out, size);
    }

    /** Decodes all of {@code bytes[0, len)}, replacing invalid and truncated sequences. */
    static String decode(byte[] bytes, int len) {
        StringBuilder sb = new StringBuilder(len);
        decode(bytes, len, true, sb);
        return sb.toString();
    }

    /**
     * Decodes {@code bytes[0, len)} into {@code out}. With {@code flush} false, a trailing sequence that is valid so
     * far but incomplete is left undecoded.
     *
     * @return how many bytes were consumed
     */
    static int decode(byte[] bytes, int len, boolean flush, StringBuilder out) {
        int i = 0;
        while (i < len) {
            int b0 = bytes[i] & 0xFF;
            if (b0 < 0x80) {
                out.append((char) b0);
                i++;
                continue;
            }
            int need;
            int lo = 0x80;
            int hi = 0xBF;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                need = 1;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                need = 2;
                if (b0 == 0xE0) {
                    lo = 0xA0;
                } else if (b0 == 0xED) {
                    hi = 0x9F;
                }
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                need = 3;
                if (b0 == 0xF0) {
                    lo = 0x90;
                } else if (b0 == 0xF4) {
                    hi = 0x8F;
                }
            } else {
                out.append(REPLACEMENT); // a byte that never starts a sequence
                i++;
                continue;
            }
            int cp = b0 & (0x3F >> need);
            int j = i + 1;
            boolean valid = true;
            for (int k = 0; k < need; k++, j++) {
                if (j >= len) {
                    if (!flush) {
                        return i; // valid so far, wait for the rest
                    }
                    valid = false;
                    break;
                }
                int b = bytes[j] & 0xFF;
                if (b < lo || b > hi) {
                    valid = false;
                    break;
                }
                lo = 0x80;
                hi = 0xBF;
                cp = (cp << 6) | (b & 0x3F);
            }
            if (valid) {
                out.appendCodePoint(cp);
            } else {
                out.append(REPLACEMENT); // the maximal subpart [i, j) is one replacement
            }
            i = j;
        }
        return i;
    }
}
