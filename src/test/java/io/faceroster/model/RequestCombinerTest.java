package io.faceroster.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Single requests that arrive together run as one batch; each caller gets its own answer. */
class RequestCombinerTest {

    @Test
    void requestsQueuedBehindABusyPassRunTogetherAndEachGetsItsOwnAnswer() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        RequestCombiner<Integer, Integer> combiner = new RequestCombiner<>(batch -> {
            batchSizes.add(batch.size());
            if (batchSizes.size() == 1) {
                firstStarted.countDown();
                await(release);
            }
            return batch.stream().map(i -> i * 10).toList();
        }, 8, 1);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            Future<Integer> first = pool.submit(() -> combiner.submit(0));
            assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
            // Five more callers while the only pass is busy: they queue, then run as one batch.
            List<Future<Integer>> queued = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                int n = i;
                queued.add(pool.submit(() -> combiner.submit(n)));
            }
            waitUntilQueued(combiner, 5);
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isZero();
            for (int i = 0; i < queued.size(); i++) {
                assertThat(queued.get(i).get(10, TimeUnit.SECONDS)).isEqualTo((i + 1) * 10);
            }
            assertThat(batchSizes).containsExactly(1, 5);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedBatchFailsEveryRequestInIt() {
        RequestCombiner<Integer, Integer> combiner = new RequestCombiner<>(batch -> {
            throw new IllegalStateException("forward pass failed");
        }, 8, 2);
        assertThatThrownBy(() -> combiner.submit(1)).hasMessage("forward pass failed");
    }

    @Test
    void noMoreThanTheAllowedPassesRunAtOnce() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        RequestCombiner<Integer, Integer> combiner = new RequestCombiner<>(batch -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return batch;
        }, 2, 2);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> all = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int n = i;
                all.add(pool.submit(() -> combiner.submit(n)));
            }
            for (int i = 0; i < all.size(); i++) {
                assertThat(all.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i);
            }
            assertThat(most.get()).isBetween(1, 2);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void waitUntilQueued(RequestCombiner<?, ?> combiner, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (combiner.queued() < n) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
