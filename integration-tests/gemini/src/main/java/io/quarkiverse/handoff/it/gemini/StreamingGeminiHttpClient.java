package io.quarkiverse.handoff.it.gemini;

import jakarta.inject.Singleton;

import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.model.googleai.GoogleAiGeminiStreamingChatModel.GoogleAiGeminiStreamingChatModelBuilder;
import io.quarkiverse.langchain4j.ModelBuilderCustomizer;
import io.quarkus.arc.properties.IfBuildProperty;

/**
 * Streams the Gemini model's answers through langchain4j's JDK HTTP client, which hands each event over as the server
 * sends it, and closes the connection when a handoff is cancelled.
 */
@Singleton
@IfBuildProperty(name = "handoff.it.gemini.jdk-http-client", stringValue = "true") // the tests build it both ways
public class StreamingGeminiHttpClient implements ModelBuilderCustomizer<GoogleAiGeminiStreamingChatModelBuilder> {

    @Override
    public void customize(GoogleAiGeminiStreamingChatModelBuilder builder) {
        builder.httpClientBuilder(JdkHttpClient.builder());
    }
}
