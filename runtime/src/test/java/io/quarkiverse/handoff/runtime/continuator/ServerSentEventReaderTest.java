package io.quarkiverse.handoff.runtime.continuator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerSentEventReaderTest {

    record Event(String name, String data) {
    }

    static List<Event> read(byte[]... chunks) {
        List<Event> events = new ArrayList<>();
        ServerSentEventReader reader = new ServerSentEventReader((name, data) -> events.add(new Event(name, data)));
        for (byte[] chunk : chunks) {
            reader.feed(chunk);
        }
        return events;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The body cut into chunks of {@code size} bytes, as the network may deliver it. */
    static byte[][] chunks(String body, int size) {
        byte[] bytes = utf8(body);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += size) {
            out.add(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + size)));
        }
        return out.toArray(new byte[0][]);
    }

    @ParameterizedTest(name = "line ends {0}")
    @ValueSource(strings = { "\n", "\r\n", "\r" })
    void everyLineEndingOfTheStandardSeparatesEvents(String eol) {
        String body = "data: {\"a\":1}" + eol + eol + ": a comment" + eol + "event: error" + eol + "data: x" + eol
                + "data: y" + eol + eol + "data: [DONE]" + eol + eol;
        List<Event> expected = List.of(new Event("message", "{\"a\":1}"), new Event("error", "x\ny"),
                new Event("message", "[DONE]"));
        assertThat(read(utf8(body))).isEqualTo(expected);
        // whatever the chunk boundaries, a CRLF split between two chunks included
        for (int size = 1; size <= 7; size++) {
            assertThat(read(chunks(body, size))).as("chunks of %d bytes", size).isEqualTo(expected);
        }
    }

    @Test
    void aCharacterSplitBetweenChunksIsReadWhole() {
        String body = "data: {\"content\":\"caf\u00e9 \ud83d\ude00\"}\n\n";
        for (int size = 1; size <= 5; size++) {
            assertThat(read(chunks(body, size))).as("chunks of %d bytes", size)
                    .containsExactly(new Event("message", "{\"content\":\"caf\u00e9 \ud83d\ude00\"}"));
        }
    }

    @Test
    void anEventNotEndedByABlankLineIsNeverDispatched() {
        assertThat(read(utf8("data: whole\n\ndata: cut in the midd"))).containsExactly(new Event("message", "whole"));
        assertThat(read(utf8("data: whole\n\ndata: no blank line\n"))).containsExactly(new Event("message", "whole"));
    }

    @Test
    void fieldsWithoutASpaceOrValueAndUnknownFieldsAreReadAsTheStandardSays() {
        assertThat(read(utf8("data:tight\nid: 7\nretry: 10\n\ndata\n\nevent: ping\n\n")))
                .containsExactly(new Event("message", "tight"), new Event("message", ""));
    }
}
