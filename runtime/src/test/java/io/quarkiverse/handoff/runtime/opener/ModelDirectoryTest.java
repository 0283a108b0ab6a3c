package io.quarkiverse.handoff.runtime.opener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model file read for ONNX Runtime, into native memory: the same bytes as on the heap, from both kinds of directory. */
class ModelDirectoryTest {

    static final String MODEL = "classpath:models/tiny-gqa";

    @Test
    void aClasspathModelFileIsReadWhole() {
        ModelDirectory dir = ModelDirectory.of(MODEL);
        assertSameBytes(dir.readDirect("model.onnx"), dir.readAll("model.onnx"));
    }

    @Test
    void aModelFileOnTheFileSystemIsReadWhole(@TempDir Path tmp) throws IOException {
        ModelErrorsTest.copyResource("models/tiny-gqa/model.onnx", tmp.resolve("model.onnx"));
        ModelDirectory dir = ModelDirectory.of(tmp.toString());
        assertSameBytes(dir.readDirect("model.onnx"), ModelDirectory.of(MODEL).readAll("model.onnx"));
    }

    @Test
    void aMissingFileNamesItselfAndTheSetting(@TempDir Path tmp) {
        assertThatThrownBy(() -> ModelDirectory.of(tmp.toString()).readDirect("model.onnx"))
                .isInstanceOf(ModelException.class).hasMessageContaining(tmp.resolve("model.onnx").toString())
                .hasMessageContaining(ModelDirectory.CONFIG_SETTING);
        assertThatThrownBy(() -> ModelDirectory.of(MODEL).readDirect("model.int4.onnx"))
                .isInstanceOf(ModelException.class).hasMessageContaining("models/tiny-gqa/model.int4.onnx");
    }

    private static void assertSameBytes(ByteBuffer direct, byte[] heap) {
        assertThat(direct.isDirect()).isTrue();
        assertThat(direct.position()).isZero();
        byte[] read = new byte[direct.remaining()];
        direct.get(read);
        assertThat(read).hasSize(heap.length).isEqualTo(heap);
    }
}
