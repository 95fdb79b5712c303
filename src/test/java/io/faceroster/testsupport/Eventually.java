package io.faceroster.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition another thread or process makes true; fails the test when it is not within the limit. */
public final class Eventually {

    private Eventually() {
    }

    public static void within(Duration limit, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
