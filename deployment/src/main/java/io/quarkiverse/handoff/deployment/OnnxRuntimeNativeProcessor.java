package io.quarkiverse.handoff.deployment;

import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.quarkiverse.handoff.runtime.config.HandoffBuildConfig;
import io.quarkus.bootstrap.classloading.QuarkusClassLoader;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.nativeimage.JniRuntimeAccessBuildItem;
import io.quarkus.deployment.builditem.nativeimage.NativeImageResourcePatternsBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveClassBuildItem;
import io.quarkus.deployment.builditem.nativeimage.RuntimeInitializedClassBuildItem;

/**
 * Makes ONNX Runtime work in a native image: JNI and reflective access for the classes its native code creates, its
 * native libraries for the target platform only, and run-time initialization of the classes that load them.
 */
class OnnxRuntimeNativeProcessor {

    /**
     * Classes the ONNX Runtime JNI library (libonnxruntime4j_jni) looks up by name to create objects, throw exceptions
     * or build arrays ({@code OnnxValue[]} results, {@code String[]} names), plus the types those objects carry.
     * NativeImageSourcesIT checks this list against the class names inside the JNI library of the onnxruntime jar.
     */
    static final String[] ONNX_RUNTIME_CLASSES_USED_BY_NATIVE_CODE = {
            "ai.onnxruntime.TensorInfo",
            "ai.onnxruntime.SequenceInfo",
            "ai.onnxruntime.MapInfo",
            "ai.onnxruntime.NodeInfo",
            "ai.onnxruntime.OnnxModelMetadata",
            "ai.onnxruntime.OrtException",
            "ai.onnxruntime.OrtException$OrtErrorCode",
            "ai.onnxruntime.OnnxValue",
            "ai.onnxruntime.OnnxTensor",
            "ai.onnxruntime.OnnxSparseTensor",
            "ai.onnxruntime.OnnxSequence",
            "ai.onnxruntime.OnnxMap",
            "ai.onnxruntime.OnnxJavaType",
            "ai.onnxruntime.OrtSession$Result",
    };

    /** JDK classes the JNI library looks up: it returns input and output names as {@code String[]}. */
    static final String[] JDK_CLASSES_USED_BY_NATIVE_CODE = { String.class.getName() };

    /** Classes that load the native library or hold native handles in static fields. */
    static final String[] INITIALIZED_AT_RUN_TIME = {
            "ai.onnxruntime.OnnxRuntime",
            "ai.onnxruntime.OrtEnvironment",
            "ai.onnxruntime.OrtAllocator",
            "ai.onnxruntime.OnnxTensorLike",
            "ai.onnxruntime.OrtSession",
            "ai.onnxruntime.OrtSession$SessionOptions",
            "ai.onnxruntime.OrtSession$RunOptions",
    };

    /** Where the onnxruntime jar keeps its native libraries, one folder per platform. */
    static final String NATIVE_LIBRARIES = "ai/onnxruntime/native/";

    @BuildStep
    void jniAccess(HandoffBuildConfig config, BuildProducer<JniRuntimeAccessBuildItem> jni,
            BuildProducer<ReflectiveClassBuildItem> reflection) {
        if (!config.opener().enabled()) {
            return;
        }
        jni.produce(new JniRuntimeAccessBuildItem(true, true, true, ONNX_RUNTIME_CLASSES_USED_BY_NATIVE_CODE));
        jni.produce(new JniRuntimeAccessBuildItem(true, false, false, JDK_CLASSES_USED_BY_NATIVE_CODE));
        reflection.produce(ReflectiveClassBuildItem.builder(ONNX_RUNTIME_CLASSES_USED_BY_NATIVE_CODE).constructors()
                .methods().fields().build());
    }

    @BuildStep
    void nativeLibraries(HandoffBuildConfig config, BuildProducer<NativeImageResourcePatternsBuildItem> resources) {
        if (!config.opener().enabled()) {
            return;
        }
        String platform = config.nativeImage().onnxruntimePlatform()
                .orElseGet(OnnxRuntimeNativeProcessor::hostPlatform);
        // Other extensions (quarkus-langchain4j's in-process embeddings) include ai/onnxruntime/native/** for every
        // platform; excludes win over includes, so only the target platform's libraries remain (28 MB for linux-x64
        // instead of 110 MB for all four).
        resources.produce(NativeImageResourcePatternsBuildItem.builder()
                .includeGlob(NATIVE_LIBRARIES + platform + "/*onnxruntime*")
                .excludePattern(Pattern.quote(NATIVE_LIBRARIES) + "(?!" + Pattern.quote(platform + "/") + ").*")
                .excludePattern(Pattern.quote(NATIVE_LIBRARIES) + "[^/]+/[^/]+\\.dSYM/.*")
                .build());
    }

    @BuildStep
    void runtimeInitialization(HandoffBuildConfig config, BuildProducer<RuntimeInitializedClassBuildItem> classes) {
        if (!config.opener().enabled()) {
            return;
        }
        Stream.of(INITIALIZED_AT_RUN_TIME)
                .filter(QuarkusClassLoader::isClassPresentAtRuntime)
                .map(RuntimeInitializedClassBuildItem::new)
                .forEach(classes::produce);
    }

    /** The build machine's ONNX Runtime platform: the default of quarkus.handoff.native.onnxruntime-platform. */
    static String hostPlatform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osName = os.contains("mac") ? "osx" : os.contains("win") ? "win" : "linux";
        String archName = arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : "x64";
        return osName + "-" + archName;
    }
}
