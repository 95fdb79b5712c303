package io.faceroster.cli;

import io.faceroster.evaluation.Statistics;
import io.faceroster.identify.ExactDistance;
import io.faceroster.identify.SupportSet;
import io.faceroster.identify.SupportSetSnapshot;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code benchmark --identify --samples N}: matching alone at a large support set (synthetic 128-d unit
 * embeddings, no service): the latency of {@link SupportSet#nearest} (int8 first pass + exact re-rank of the
 * candidates read from the float file), its top-1 agreement with a float32 brute-force scan on random queries (over
 * a plain heap copy of the prototypes taken after the fill, with the same {@link ExactDistance} arithmetic), the
 * index's heap bytes per sample, the float file's bytes per sample, the heap the whole support set takes and the
 * process's resident memory. Prints one JSON object with {@code --json}; asserts nothing.
 */
final class ScaleBenchmark {

    private ScaleBenchmark() {
    }

    static int run(int samples, int shots, int runs, int agreementQueries, boolean json) throws Exception {
        int dimension = 128;
        long heapBefore = usedHeap();
        SupportSet set = new SupportSet("benchmark", dimension);
        long t0 = System.nanoTime();
        IdentifyBenchmark.fill(set, samples, shots, 1);
        double fillSeconds = (System.nanoTime() - t0) / 1e9;
        long heapAfter = usedHeap();

        String residentAfterFill = ResidentMemory.describe();
        Random rng = new Random(7);
        for (int i = 0; i < 50; i++) {
            set.nearest(IdentifyBenchmark.randomUnit(rng, dimension), 3);
        }
        double[] ms = new double[runs];
        double[] reranked = new double[runs];
        for (int i = 0; i < runs; i++) {
            float[] q = IdentifyBenchmark.randomUnit(rng, dimension);
            long s = System.nanoTime();
            reranked[i] = set.nearest(q, 3).reranked();
            ms[i] = (System.nanoTime() - s) / 1e6;
        }
        String residentAfterMatching = ResidentMemory.describe();
        Reference reference = new Reference(set.snapshot());
        double[] exactMs = new double[Math.max(1, runs / 10)];
        for (int i = 0; i < exactMs.length; i++) {
            float[] q = IdentifyBenchmark.randomUnit(rng, dimension);
            long s = System.nanoTime();
            reference.nearest(q);
            exactMs[i] = (System.nanoTime() - s) / 1e6;
        }
        double agreement = agreement(set, reference, agreementQueries, dimension);

        String out = String.format(Locale.ROOT, "{\"samples\": %d, \"employees\": %d, \"shots\": %d, \"dimension\": %d, "
                        + "\"matchingMedianMs\": %.3f, \"matchingP99Ms\": %.3f, \"rerankedMedian\": %.0f, "
                        + "\"rerankedP99\": %.0f, \"exactScanMedianMs\": %.3f, "
                        + "\"exactScanP99Ms\": %.3f, \"matchingRuns\": %d, \"top1AgreementWithExact\": %.6f, "
                        + "\"agreementQueries\": %d, \"indexBytesPerSample\": %.1f, \"floatFileBytesPerSample\": %.1f, "
                        + "\"supportSetHeapBytesPerSample\": %.1f, \"residentAfterFill\": \"%s\", "
                        + "\"residentAfterMatching\": \"%s\", \"scanImplementation\": \"%s\", \"fillSeconds\": %.1f, "
                        + "\"availableProcessors\": %d, \"loadAverage\": \"%s\"}",
                set.shotCount(), set.employeeCount(), shots, dimension, Statistics.percentile(ms, 50),
                Statistics.percentile(ms, 99), Statistics.percentile(reranked, 50), Statistics.percentile(reranked, 99),
                Statistics.percentile(exactMs, 50), Statistics.percentile(exactMs, 99),
                runs, agreement, agreementQueries, (double) set.indexBytes() / set.shotCount(),
                (double) set.floatFileBytes() / set.shotCount(), (double) (heapAfter - heapBefore) / set.shotCount(),
                residentAfterFill, residentAfterMatching, SupportSet.scanImplementation(), fillSeconds,
                Runtime.getRuntime().availableProcessors(), loadAverage());
        if (json) {
            System.out.println(out);
        } else {
            System.out.println(out.replace(", \"", ",\n  \""));
        }
        return 0;
    }

    /** Share of random queries whose quantised top-1 is the float32 scan's top-1 (same employee, same distance). */
    private static double agreement(SupportSet set, Reference reference, int queries, int dimension)
            throws Exception {
        if (queries <= 0) {
            return Double.NaN;
        }
        int threads = Runtime.getRuntime().availableProcessors();
        AtomicInteger agree = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            Future<?>[] parts = new Future<?>[threads];
            for (int t = 0; t < threads; t++) {
                int first = t;
                parts[t] = pool.submit(() -> {
                    for (int i = first; i < queries; i += threads) {
                        float[] q = IdentifyBenchmark.randomUnit(new Random(1_000_000L + i), dimension);
                        SupportSet.Candidate a = set.nearest(q, 1).candidates().get(0);
                        SupportSet.Candidate b = reference.nearest(q);
                        if (a.employeeId().equals(b.employeeId()) && a.distance() == b.distance()) {
                            agree.incrementAndGet();
                        }
                    }
                });
            }
            for (Future<?> f : parts) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return (double) agree.get() / queries;
    }

    /** The float32 brute-force scan: every prototype, kept in one heap array, compared exactly. */
    private static final class Reference {
        private final SupportSetSnapshot snapshot;
        private final float[] prototypes;
        private final int dimension;

        Reference(SupportSetSnapshot snapshot) {
            this.snapshot = snapshot.withoutShots();   // ids and names are all it needs beside its own copy
            this.dimension = snapshot.dimension();
            this.prototypes = new float[snapshot.employeeCount() * dimension];
            for (int r = 0; r < snapshot.employeeCount(); r++) {
                System.arraycopy(snapshot.prototype(r), 0, prototypes, r * dimension, dimension);
            }
        }

        SupportSet.Candidate nearest(float[] q) {
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int r = 0; r < snapshot.employeeCount(); r++) {
                double d = ExactDistance.squared(q, prototypes, r * dimension, bestD);
                if (d < bestD) {
                    best = r;
                    bestD = d;
                }
            }
            return new SupportSet.Candidate(snapshot.employeeId(best), snapshot.displayName(best), Math.sqrt(bestD));
        }
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "n/a";
        }
    }
}
