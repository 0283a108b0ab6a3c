package io.quarkiverse.handoff.deployment.continuation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.handoff.ChatStream;
import io.quarkiverse.handoff.ChatStreamRequest;
import io.quarkiverse.handoff.Continuator;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.mutiny.Multi;

/** Two application wire streams: the continuator refuses to pick one and names both. */
class TwoChatStreamsTest {

    @RegisterExtension
    static final QuarkusUnitTest unitTest = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar
                    .addClasses(FirstStream.class, SecondStream.class)
                    .addAsResource(new StringAsset("quarkus.handoff.opener.warm-up=false\n"), "application.properties"));

    @Inject
    Instance<Continuator> continuators;

    @Test
    void theContinuatorNamesBothStreamsAndTheFix() {
        Throwable failure = catchThrowable(() -> continuators.get().name());
        while (failure.getCause() != null) {
            failure = failure.getCause();
        }
        assertThat(failure).isInstanceOf(IllegalStateException.class);
        assertThat(failure.getMessage()).startsWith("the application has more than one io.quarkiverse.handoff.ChatStream")
                .contains(FirstStream.class.getName(), SecondStream.class.getName())
                .endsWith("keep one, or give the others a qualifier of your own");
    }

    @Singleton
    static class FirstStream implements ChatStream {
        @Override
        public Multi<String> stream(ChatStreamRequest request) {
            return Multi.createFrom().empty();
        }

        @Override
        public String name() {
            return "first";
        }
    }

    @Singleton
    static class SecondStream implements ChatStream {
        @Override
        public Multi<String> stream(ChatStreamRequest request) {
            return Multi.createFrom().empty();
        }

        @Override
        public String name() {
            return "second";
        }
    }
}
