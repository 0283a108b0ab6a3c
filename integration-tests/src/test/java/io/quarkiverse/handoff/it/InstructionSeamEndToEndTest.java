package io.quarkiverse.handoff.it;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkiverse.handoff.runtime.correction.ErrorCorrections;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The end-to-end seam cases of the instruction strategy and of a plain answer (no opener): see {@link SeamEndToEnd}. */
@QuarkusTest
@TestProfile(SeamEndToEndProfiles.Instruction.class)
class InstructionSeamEndToEndTest {

    @Inject
    ScriptedOpener opener;

    @Inject
    ErrorCorrections corrections;

    static List<SeamEndToEnd.Case> cases() {
        return SeamEndToEnd.cases("instruction", "answer");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theUserGetsTheCasesText(SeamEndToEnd.Case c) {
        SeamEndToEnd.check(c, OpenAiServerResource.server, opener, corrections);
    }
}
