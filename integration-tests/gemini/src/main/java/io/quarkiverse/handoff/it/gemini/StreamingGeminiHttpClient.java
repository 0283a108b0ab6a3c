package io.quarkiverse.handoff.it.gemini;

import jakarta.inject.Singleton;

import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.model.googleai.GoogleAiGeminiStreamingChatModel.GoogleAiGeminiStreamingChatModelBuilder;
import io.quarkiverse.langchain4j.ModelBuilderCustomizer;
import io.quarkus.arc.properties.IfBuildProperty;

/**
 * Streams the Gemini model's answers through langchain4j's JDK HTTP client instead of the client quarkus-langchain4j
 * gives the provider, which hands over an answer's events only once the whole response has arrived (so a handoff sees
 * no first token before the model has finished, and cannot close a request it cancels). With the JDK client each event
 * arrives as the server sends it, and cancelling the handoff closes the connection. The application opts in with
 * {@code handoff.it.gemini.jdk-http-client=true} at build time (docs/continuator.md, Gemini).
 */
@Singleton
@IfBuildProperty(name = "handoff.it.gemini.jdk-http-client", stringValue = "true")
public class StreamingGeminiHttpClient implements ModelBuilderCustomizer<GoogleAiGeminiStreamingChatModelBuilder> {

    @Override
    public void customize(GoogleAiGeminiStreamingChatModelBuilder builder) {
        builder.httpClientBuilder(JdkHttpClient.builder());
    }
}
