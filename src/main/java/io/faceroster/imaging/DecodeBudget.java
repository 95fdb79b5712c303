package io.faceroster.imaging;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The heap that decoding and cutting faces out of uploaded images may use at once, shared by all requests: a
 * semaphore counted in KiB. Each decode takes its estimated working memory before the first pixel is allocated
 * and gives it back when its {@link DecodedImage} is closed, so N parallel worst-case uploads queue instead of
 * exhausting the heap. One request holds at most one decode at a time (images of an enrolment are decoded one
 * after another), so waiting cannot deadlock.
 */
public final class DecodeBudget {

    private final long totalBytes;
    private final Semaphore kib;
    private final Duration wait;

    public DecodeBudget(long totalBytes, Duration wait) {
        if (totalBytes < 1024 * 1024) {
            throw new IllegalArgumentException("a decode budget under 1 MiB cannot hold any image: " + totalBytes);
        }
        this.totalBytes = totalBytes;
        this.kib = new Semaphore((int) Math.min(Integer.MAX_VALUE, totalBytes / 1024), true);
        this.wait = wait;
    }

    /** {@code share} of the JVM's maximum heap ({@code -Xmx}). */
    public static DecodeBudget ofHeap(double share, Duration wait) {
        if (!(share > 0 && share <= 0.9)) {
            throw new IllegalArgumentException("decode-heap-share must lie in (0, 0.9], got " + share);
        }
        return new DecodeBudget((long) (Runtime.getRuntime().maxMemory() * share), wait);
    }

    public long totalBytes() {
        return totalBytes;
    }

    /** The most one image may take: half the budget, so that one huge upload cannot stall every other. */
    public long perImageBytes() {
        return totalBytes / 2;
    }

    /** Bytes free now (for tests and metrics). */
    public long availableBytes() {
        return (long) kib.availablePermits() * 1024;
    }

    /** A held share of the budget; {@link #release()} gives it back (once). */
    public final class Permit {
        private final int permits;
        private boolean released;

        private Permit(int permits) {
            this.permits = permits;
        }

        public long bytes() {
            return permits * 1024L;
        }

        public synchronized void release() {
            if (!released) {
                released = true;
                kib.release(permits);
            }
        }
    }

    /**
     * Takes {@code bytes} (at most {@link #perImageBytes()}), waiting up to the configured time.
     *
     * @throws ImageRejected {@code decode_busy} (429) when the budget stayed taken for the whole wait
     */
    public Permit acquire(long bytes) {
        if (bytes > perImageBytes()) {
            throw new IllegalArgumentException(bytes + " bytes exceed the per-image share " + perImageBytes());
        }
        int permits = (int) Math.max(1, (bytes + 1023) / 1024);
        try {
            if (!kib.tryAcquire(permits, wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw busy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy();
        }
        return new Permit(permits);
    }

    private ImageRejected busy() {
        return new ImageRejected("decode_busy", "the image decoding memory stayed in use"
                + " by other requests for " + wait.toSeconds() + " s; retry later", Map.of("retryAfterSeconds", 5));
    }
}
