package io.quarkiverse.handoff;

import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * The single clock of one handoff. Every stage marks its milestones on it where they happen; the first mark of a
 * milestone wins, so retries and late stages cannot rewrite history.
 */
public final class HandoffClock {

    /** The moments of one handoff that are timed. */
    public enum Milestone {
        OPENER_FIRST_TOKEN,
        OPENER_FIRST_WORD,
        OPENER_DONE,
        CLOUD_REQUEST_SENT,
        CLOUD_FIRST_TOKEN,
        /** The first continuation text that passed the seam and reached the user. */
        CONTINUATION_FIRST_DELTA,
        DONE
    }

    private static final long UNSET = Long.MIN_VALUE;

    private final LongSupplier nanoTime;
    private final long startNanos;
    private final AtomicLongArray marks = new AtomicLongArray(Milestone.values().length);

    private HandoffClock(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.startNanos = nanoTime.getAsLong();
        for (int i = 0; i < marks.length(); i++) {
            marks.set(i, UNSET);
        }
    }

    public static HandoffClock start() {
        return new HandoffClock(System::nanoTime);
    }

    /**
     * A clock that reads the time from {@code nanoTime} (in nanoseconds, like {@link System#nanoTime()}): for tests
     * that decide when time passes, so that time budgets and deadlines do not depend on the machine's speed.
     */
    public static HandoffClock start(LongSupplier nanoTime) {
        return new HandoffClock(nanoTime);
    }

    /** Nanoseconds since the handoff started. */
    public long elapsedNanos() {
        return nanoTime.getAsLong() - startNanos;
    }

    /** Milliseconds since the handoff started, with microsecond resolution. */
    public double elapsedMillis() {
        return toMillis(elapsedNanos());
    }

    /** Records the milestone now, unless it was already recorded. */
    public void mark(Milestone milestone) {
        marks.compareAndSet(milestone.ordinal(), UNSET, elapsedNanos());
    }

    /**
     * Records the milestone at a moment measured earlier on this clock ({@link #elapsedNanos()} then), unless it was
     * already recorded: for work that started before it was known to count, such as a speculative cloud request.
     */
    public void markAt(Milestone milestone, long elapsedNanos) {
        marks.compareAndSet(milestone.ordinal(), UNSET, elapsedNanos);
    }

    public boolean isMarked(Milestone milestone) {
        return marks.get(milestone.ordinal()) != UNSET;
    }

    /** Milliseconds from the handoff's start to the milestone, if it happened. */
    public OptionalDouble millisAt(Milestone milestone) {
        long nanos = marks.get(milestone.ordinal());
        return nanos == UNSET ? OptionalDouble.empty() : OptionalDouble.of(toMillis(nanos));
    }

    /** Milliseconds between two milestones, if both happened. */
    public OptionalDouble millisBetween(Milestone from, Milestone to) {
        long a = marks.get(from.ordinal());
        long b = marks.get(to.ordinal());
        return a == UNSET || b == UNSET ? OptionalDouble.empty() : OptionalDouble.of(toMillis(b - a));
    }

    public static double toMillis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }
}
