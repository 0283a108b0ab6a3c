package io.quarkiverse.handoff.runtime.correction;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.handoff.ErrorCorrection;

/**
 * Every {@link ErrorCorrection} bean, by {@link ErrorCorrection#method() method name}: the three built-in ones and
 * those of the application. An application bean with a built-in method's name replaces the built-in one.
 */
@Singleton
public class ErrorCorrections {

    @Inject
    @Any
    Instance<ErrorCorrection> beans;

    private Map<String, ErrorCorrection> byMethod = Map.of();

    @PostConstruct
    void init() {
        List<ErrorCorrection> all = new ArrayList<>();
        beans.forEach(all::add);
        byMethod = index(all);
    }

    /** The registry of these methods, without CDI (for tests and tools). */
    static ErrorCorrections of(List<ErrorCorrection> corrections) {
        ErrorCorrections registry = new ErrorCorrections();
        registry.byMethod = index(corrections);
        return registry;
    }

    /** Indexes methods by name; an application's method wins over a built-in one of the same name. */
    static Map<String, ErrorCorrection> index(List<ErrorCorrection> corrections) {
        Map<String, ErrorCorrection> out = new HashMap<>();
        for (ErrorCorrection correction : corrections) {
            String name = correction.method();
            if (name == null || name.isBlank()) {
                throw new IllegalStateException("the ErrorCorrection bean " + correction.getClass().getName()
                        + " has no method() name: return the name policies use to choose it");
            }
            ErrorCorrection other = out.get(name);
            if (other == null || builtIn(other) && !builtIn(correction)) {
                out.put(name, correction);
            } else if (builtIn(other) == builtIn(correction)) {
                throw new IllegalStateException("two ErrorCorrection beans are named '" + name + "': "
                        + other.getClass().getName() + " and " + correction.getClass().getName()
                        + "; give each a distinct method() name");
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static boolean builtIn(ErrorCorrection correction) {
        return correction instanceof PromptedCorrection
                && correction.getClass().getPackageName().equals(PromptedCorrection.class.getPackageName());
    }

    /**
     * The method a plan names.
     *
     * @throws IllegalStateException naming the known methods when there is none by that name
     */
    public ErrorCorrection get(String method) {
        ErrorCorrection correction = byMethod.get(method);
        if (correction == null) {
            throw new IllegalStateException("the plan's recovery method '" + method + "' has no ErrorCorrection bean;"
                    + " known methods: " + String.join(", ", new TreeSet<>(byMethod.keySet()))
                    + ". Add a bean implementing io.quarkiverse.handoff.ErrorCorrection whose method() returns '"
                    + method + "', or make the policy rule choose a known method");
        }
        return correction;
    }

    /** The names of all known methods. */
    public Set<String> methods() {
        return byMethod.keySet();
    }
}
