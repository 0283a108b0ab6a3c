package io.quarkiverse.handoff.runtime;

/** The startup work that runs beside the application's start: on daemon threads, so that it never holds up a stop. */
public final class BackgroundThread {

    private BackgroundThread() {
    }

    /** Runs the task on a new daemon thread of this name (the name shows in thread dumps and logs). */
    public static void start(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }
}
