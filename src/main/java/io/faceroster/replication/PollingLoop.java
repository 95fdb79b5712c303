package io.faceroster.replication;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A daemon thread that runs one step every {@code interval}, or at once when woken (a notification, a local
 * submission): how a replica follows what other replicas wrote to the database without a cluster protocol of its
 * own. A step that throws is reported to {@code onFailure} and retried at the next turn; {@link #stop} waits a
 * little for the step in hand.
 */
public final class PollingLoop {

    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    private volatile boolean running = true;

    /** Starts the loop; {@code step} runs on the thread named {@code name}. */
    public PollingLoop(String name, Duration interval, int priority, Runnable step, Consumer<RuntimeException> onFailure) {
        thread = new Thread(() -> {
            while (running) {
                try {
                    wake.tryAcquire(interval.toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                    if (running) {
                        step.run();
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    if (running) {
                        onFailure.accept(e);
                    }
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.setPriority(priority);
        thread.start();
    }

    /** Runs the step now rather than at the next interval. */
    public void wakeUp() {
        wake.release();
    }

    /** Ends the loop after the step in hand, waiting at most {@code wait} for it. */
    public void stop(Duration wait) {
        running = false;
        wake.release();
        try {
            thread.join(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
