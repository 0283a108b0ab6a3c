package io.quarkiverse.handoff.deployment;

import java.util.stream.Stream;

import io.quarkiverse.handoff.runtime.config.OpenerBuildConfig;
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

    /** Classes the ONNX Runtime JNI library instantiates or calls back into. */
    static final String[] CREATED_BY_NATIVE_CODE = {
            "ai.onnxruntime.TensorInfo",
            "ai.onnxruntime.SequenceInfo",
            "ai.onnxruntime.MapInfo",
            "ai.onnxruntime.NodeInfo",
            "ai.onnxruntime.OrtException",
            "ai.onnxruntime.OrtException$OrtErrorCode",
            "ai.onnxruntime.OnnxTensor",
            "ai.onnxruntime.OnnxSparseTensor",
            "ai.onnxruntime.OnnxSequence",
            "ai.onnxruntime.OnnxMap",
            "ai.onnxruntime.OnnxJavaType",
            "ai.onnxruntime.OrtSession$Result",
    };

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

    @BuildStep
    void jniAccess(OpenerBuildConfig opener, BuildProducer<JniRuntimeAccessBuildItem> jni,
            BuildProducer<ReflectiveClassBuildItem> reflection) {
        if (!opener.enabled()) {
            return;
        }
        jni.produce(new JniRuntimeAccessBuildItem(true, true, true, CREATED_BY_NATIVE_CODE));
        reflection.produce(ReflectiveClassBuildItem.builder(CREATED_BY_NATIVE_CODE).constructors().methods().fields()
                .build());
    }

    @BuildStep
    void nativeLibraries(OpenerBuildConfig opener, HandoffNativeConfig config,
            BuildProducer<NativeImageResourcePatternsBuildItem> resources) {
        if (!opener.enabled()) {
            return;
        }
        String platform = config.platform();
        resources.produce(NativeImageResourcePatternsBuildItem.builder()
                .includeGlob("ai/onnxruntime/native/" + platform + "/*onnxruntime*")
                .build());
    }

    @BuildStep
    void runtimeInitialization(OpenerBuildConfig opener, BuildProducer<RuntimeInitializedClassBuildItem> classes) {
        if (!opener.enabled()) {
            return;
        }
        Stream.of(INITIALIZED_AT_RUN_TIME)
                .filter(QuarkusClassLoader::isClassPresentAtRuntime)
                .map(RuntimeInitializedClassBuildItem::new)
                .forEach(classes::produce);
    }
}
