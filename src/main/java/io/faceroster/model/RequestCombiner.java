package io.faceroster.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Runs single-item requests in batches when they arrive together, without a thread of its own and without ever
 * holding a request back to wait for company: a caller whose request finds a free pass (at most {@code parallel}
 * run at once) runs it at once, together with whatever other requests are queued, up to {@code maxBatch}; a caller
 * finding every pass busy queues its request and sleeps until some pass has run it. On a GPU one pass of eight
 * faces costs about what one face costs; on a CPU it keeps the work per face the same and the cores busy.
 *
 * @param <I> request
 * @param <O> answer
 */
final class RequestCombiner<I, O> {

    private final class Pending {
        final I item;
        O result;
        RuntimeException error;
        boolean done;

        Pending(I item) {
            this.item = item;
        }
    }

    private final Function<List<I>, List<O>> batch;
    private final int maxBatch;
    private final int parallel;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int running;

    /**
     * @param batch    runs a batch; returns one answer per request, in order
     * @param maxBatch most requests in one batch
     * @param parallel most batches running at once
     */
    RequestCombiner(Function<List<I>, List<O>> batch, int maxBatch, int parallel) {
        if (maxBatch < 1 || parallel < 1) {
            throw new IllegalArgumentException("maxBatch and parallel must be at least 1");
        }
        this.batch = batch;
        this.maxBatch = maxBatch;
        this.parallel = parallel;
    }

    /** Requests waiting for a pass (for tests and metrics). */
    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    O submit(I item) {
        Pending mine = new Pending(item);
        lock.lock();
        try {
            queue.add(mine);
            while (!mine.done) {
                if (running < parallel && !queue.isEmpty()) {
                    List<Pending> taken = new ArrayList<>();
                    while (taken.size() < maxBatch && !queue.isEmpty()) {
                        taken.add(queue.poll());
                    }
                    running++;
                    lock.unlock();
                    try {
                        run(taken);
                    } finally {
                        lock.lock();
                        running--;
                        finished.signalAll();
                    }
                } else {
                    finished.awaitUninterruptibly();
                }
            }
        } finally {
            lock.unlock();
        }
        if (mine.error != null) {
            throw mine.error;
        }
        return mine.result;
    }

    /** Runs outside the lock; every taken request ends done, with an answer or the batch's error. */
    private void run(List<Pending> taken) {
        List<O> results = null;
        RuntimeException error = null;
        try {
            results = batch.apply(taken.stream().map(p -> p.item).toList());
            if (results.size() != taken.size()) {
                error = new IllegalStateException("batch answered " + results.size() + " of " + taken.size());
            }
        } catch (RuntimeException e) {
            error = e;
        }
        lock.lock();
        try {
            for (int i = 0; i < taken.size(); i++) {
                Pending p = taken.get(i);
                if (error != null) {
                    p.error = error;
                } else {
                    p.result = results.get(i);
                }
                p.done = true;
            }
        } finally {
            lock.unlock();
        }
    }
}
