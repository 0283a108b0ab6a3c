package io.quarkiverse.handoff.runtime.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class StreamingDecoderTest {

    private final Tokenizer tokenizer = Tokenizer.load(Fixtures.dir("gpt2-bytelevel").resolve("tokenizer.json"));

    /** The id of the single byte token for {@code b}. */
    private int byteId(int b) {
        return tokenizer.tokenId(String.valueOf(ByteLevel.charOf(b))).orElseThrow();
    }

    @Test
    void holdsBackAMultiByteCharacterUntilItIsComplete() {
        byte[] emoji = "😀".getBytes(StandardCharsets.UTF_8);
        StreamingDecoder decoder = tokenizer.streamingDecoder();
        assertThat(decoder.push(byteId('a'))).isEqualTo("a");
        assertThat(decoder.push(byteId(emoji[0]))).isEmpty();
        assertThat(decoder.push(byteId(emoji[1]))).isEmpty();
        assertThat(decoder.hasPendingBytes()).isTrue();
        assertThat(decoder.push(byteId(emoji[2]))).isEmpty();
        assertThat(decoder.push(byteId(emoji[3]), byteId('!'))).isEqualTo("😀!");
        assertThat(decoder.flush()).isEmpty();
    }

    @Test
    void invalidBytesBecomeReplacementCharactersAtOnce() {
        StreamingDecoder decoder = tokenizer.streamingDecoder();
        // 0xE2 0x28: 0x28 cannot continue the sequence, so 0xE2 is replaced without waiting
        assertThat(decoder.push(byteId(0xE2))).isEmpty();
        assertThat(decoder.push(byteId(0x28))).isEqualTo("\uFFFD(");
        assertThat(decoder.push(byteId(0xFF))).isEqualTo("\uFFFD");
        // a truncated sequence at the end of the stream becomes one replacement character
        assertThat(decoder.push(byteId(0xF0), byteId(0x9F))).isEmpty();
        assertThat(decoder.flush()).isEqualTo("\uFFFD");
        assertThat(decoder.hasPendingBytes()).isFalse();
    }

    @Test
    void matchesRustLossyDecodingOfMaximalSubparts() {
        // examples from the Unicode standard, U+FFFD substitution of maximal subparts
        byte[] bytes = { (byte) 0x61, (byte) 0xF1, (byte) 0x80, (byte) 0x80, (byte) 0xE1, (byte) 0x80, (byte) 0xC2,
                (byte) 0x62, (byte) 0x80, (byte) 0x63, (byte) 0x80, (byte) 0xBF, (byte) 0x64 };
        assertThat(Utf8.decode(bytes, bytes.length)).isEqualTo("a\uFFFD\uFFFD\uFFFDb\uFFFDc\uFFFD\uFFFDd");
        byte[] surrogate = { (byte) 0xED, (byte) 0xA0, (byte) 0x80 };
        assertThat(Utf8.decode(surrogate, 3)).isEqualTo("\uFFFD\uFFFD\uFFFD");
        byte[] overlong = { (byte) 0xC0, (byte) 0xAF, (byte) 0xE0, (byte) 0x80, (byte) 0xAF };
        assertThat(Utf8.decode(overlong, 5)).isEqualTo("\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD");
    }

    @Test
    void skipsSpecialTokensWhenAsked() {
        int[] ids = tokenizer.encode("<|im_start|>assistant\nHi<|im_end|>");
        StreamingDecoder decoder = tokenizer.streamingDecoder(true);
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            sb.append(decoder.push(id));
        }
        assertThat(sb.append(decoder.flush()).toString()).isEqualTo("assistant\nHi");
        StreamingDecoder keeping = tokenizer.streamingDecoder();
        assertThat(keeping.push(ids) + keeping.flush()).isEqualTo("<|im_start|>assistant\nHi<|im_end|>");
    }

    @Test
    void resetForgetsHeldBackBytes() {
        StreamingDecoder decoder = tokenizer.streamingDecoder();
        decoder.push(byteId(0xE6));
        decoder.reset();
        assertThat(decoder.hasPendingBytes()).isFalse();
        assertThat(decoder.push(byteId('x'))).isEqualTo("x");
    }

    @Test
    void unpairedSurrogatesAreEncodedAsReplacementCharacters() {
        assertThat(tokenizer.decode(tokenizer.encode("a\uD800b"))).isEqualTo("a\uFFFDb");
    }
}
