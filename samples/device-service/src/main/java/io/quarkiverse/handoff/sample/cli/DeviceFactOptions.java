package io.quarkiverse.handoff.sample.cli;

import java.util.List;
import java.util.Locale;

import io.quarkiverse.handoff.policy.DeviceFacts;
import io.quarkiverse.handoff.policy.Modality;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The facts a device reports with a request, as command-line options, each checked against what the rules know. */
public class DeviceFactOptions {

    @Option(names = "--modality", paramLabel = "speech|screen", description = "how the reply reaches the user, instead of the profile's own modality")
    String modality;

    @Option(names = "--battery", paramLabel = "PCT", description = "the device's battery level, 0-100")
    Integer battery;

    @Option(names = "--thermal", paramLabel = "STATE", description = "the device's thermal state: "
            + "nominal, fair, serious or critical")
    String thermal;

    @Option(names = "--rtt-ms", paramLabel = "N", description = "the network round trip the device measured, in ms")
    Double rttMs;

    @Option(names = "--privacy", paramLabel = "LEVEL", description = "the request's privacy level: normal or sensitive "
            + "(sensitive masks personal data before the cloud)")
    String privacy;

    /**
     * The device facts of the options.
     *
     * @throws ParameterException naming the option and its valid values when one is out of range
     */
    DeviceFacts deviceFacts(CommandLine commandLine) {
        if (battery != null && (battery < 0 || battery > 100)) {
            throw new ParameterException(commandLine, "--battery must be a percentage from 0 to 100, got " + battery);
        }
        return new DeviceFacts(battery, oneOf(commandLine, "--thermal", thermal, DeviceFacts.THERMAL_STATES),
                millis(commandLine, "--rtt-ms", rttMs), modality(commandLine),
                oneOf(commandLine, "--privacy", privacy, DeviceFacts.PRIVACY_LEVELS));
    }

    private Modality modality(CommandLine commandLine) {
        if (modality == null) {
            return null;
        }
        return switch (modality.trim().toLowerCase(Locale.ROOT)) {
            case "speech" -> Modality.SPEECH;
            case "screen" -> Modality.SCREEN;
            default -> throw new ParameterException(commandLine,
                    "--modality must be speech or screen, got '" + modality + "'");
        };
    }

    /** A number of milliseconds from an option: none, or a finite number >= 0. */
    static Double millis(CommandLine commandLine, String flag, Double value) {
        if (value != null && (!(value >= 0) || value.isInfinite())) {
            throw new ParameterException(commandLine, flag + " must be a number of milliseconds >= 0, got " + value);
        }
        return value;
    }

    private static String oneOf(CommandLine commandLine, String flag, String value, List<String> valid) {
        if (value == null) {
            return null;
        }
        String normalized = value.trim().toLowerCase(Locale.ROOT);
        if (!valid.contains(normalized)) {
            throw new ParameterException(commandLine,
                    flag + " must be one of " + String.join(", ", valid) + ", got '" + value + "'");
        }
        return normalized;
    }
}
