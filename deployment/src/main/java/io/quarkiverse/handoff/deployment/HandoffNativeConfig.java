package io.quarkiverse.handoff.deployment;

import java.util.Locale;
import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;

/**
 * Native image settings of the handoff extension.
 */
@ConfigMapping(prefix = "quarkus.handoff.native")
@ConfigRoot(phase = ConfigPhase.BUILD_TIME)
public interface HandoffNativeConfig {

    /**
     * The ONNX Runtime platform whose native libraries go into the native image, as named in the onnxruntime jar
     * ({@code linux-x64}, {@code linux-aarch64}, {@code osx-aarch64}, {@code win-x64}). Defaults to the platform of
     * the build machine; set it when building for another architecture (e.g. {@code linux-aarch64} for a Raspberry
     * Pi or Orange Pi). Only this platform's libraries are packaged, keeping the binary small.
     */
    Optional<String> onnxruntimePlatform();

    /** The platform to package: the configured one, else the build machine's. */
    default String platform() {
        return onnxruntimePlatform().orElseGet(HandoffNativeConfig::hostPlatform);
    }

    static String hostPlatform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osName = os.contains("mac") ? "osx" : os.contains("win") ? "win" : "linux";
        String archName = arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : "x64";
        return osName + "-" + archName;
    }
}
