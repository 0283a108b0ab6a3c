package io.quarkiverse.handoff.runtime.config;

import java.util.Optional;

/**
 * Native image settings of the handoff extension.
 */
public interface NativeImageConfig {

    /**
     * The ONNX Runtime platform whose native libraries go into the native image, as named in the onnxruntime jar
     * ({@code linux-x64}, {@code linux-aarch64}, {@code osx-aarch64}, {@code win-x64}). Defaults to the platform of
     * the build machine; set it when building for another architecture (e.g. {@code linux-aarch64} for a Raspberry
     * Pi or Orange Pi). Only this platform's libraries are packaged, keeping the binary small.
     */
    Optional<String> onnxruntimePlatform();
}
