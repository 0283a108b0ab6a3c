package io.quarkiverse.handoff.runtime.tokenizer;

import java.util.Arrays;

/**
 * The GPT-2 byte-to-unicode table of byte-level BPE: every byte value gets a printable character, so that any UTF-8
 * text maps to a string of "byte characters" and back without loss.
 */
final class ByteLevel {

    /** The character standing for each byte value. */
    private static final char[] BYTE_TO_CHAR = new char[256];
    /** The byte value of each byte character, -1 for characters that are not byte characters. */
    private static final short[] CHAR_TO_BYTE = new short[324];

    static {
        Arrays.fill(CHAR_TO_BYTE, (short) -1);
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + extra++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = (short) b;
        }
    }

    private ByteLevel() {
    }

    static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The byte a byte character stands for, or -1 when {@code c} is not a byte character. */
    static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** Maps the UTF-8 bytes of {@code text} to byte characters. */
    static String encode(String text) {
        byte[] bytes = Utf8.encode(text);
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(chars);
    }

    /**
     * Appends the bytes a token stands for, as the Hugging Face ByteLevel decoder does: the bytes of its byte
     * characters, or, when any of its characters is not a byte character (an added token such as
     * {@code <｜end▁of▁sentence｜>}), its own UTF-8 bytes.
     */
    static void appendTokenBytes(String token, ByteSink out) {
        int n = token.length();
        for (int i = 0; i < n; i++) {
            if (byteOf(token.charAt(i)) < 0) {
                out.write(Utf8.encode(token));
                return;
            }
        }
        for (int i = 0; i < n; i++) {
            out.write(byteOf(token.charAt(i)));
        }
    }

    /** A growable byte buffer. */
    static final class ByteSink {
        private byte[] buf = new byte[64];
        private int size;

        void write(int b) {
            if (size == buf.length) {
                buf = Arrays.copyOf(buf, size * 2);
            }
            buf[size++] = (byte) b;
        }

        void write(byte[] bytes) {
            for (byte b : bytes) {
                write(b);
            }
        }

        int size() {
            return size;
        }

        byte[] array() {
            return buf;
        }

        /** Drops the first {@code n} bytes. */
        void consume(int n) {
            System.arraycopy(buf, n, buf, 0, size - n);
            size -= n;
        }

        void clear() {
            size = 0;
        }
    }
}
