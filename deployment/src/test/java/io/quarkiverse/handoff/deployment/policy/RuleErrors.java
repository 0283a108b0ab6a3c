package io.quarkiverse.handoff.deployment.policy;

import java.util.IdentityHashMap;
import java.util.Map;

/** Test helper: every message of an exception, its causes and suppressed exceptions. */
final class RuleErrors {

    private RuleErrors() {
    }

    static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        collect(t, sb, new IdentityHashMap<>());
        return sb.toString();
    }

    private static void collect(Throwable t, StringBuilder sb, Map<Throwable, Boolean> seen) {
        if (t == null || seen.put(t, Boolean.TRUE) != null) {
            return;
        }
        sb.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
        collect(t.getCause(), sb, seen);
        for (Throwable s : t.getSuppressed()) {
            collect(s, sb, seen);
        }
    }
}
