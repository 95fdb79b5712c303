package io.faceroster.identify;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A consistent copy of a {@link SupportSet} (see {@link SupportSet#snapshot()}) with batch matching over it:
 * for many queries at once, the nearest prototype other than the query's own employee, exactly as
 * {@link SupportSet#nearest} would rank them. Employees are rows {@code 0..employeeCount()-1}; their shots
 * are {@code firstShot(row)..firstShot(row + 1) - 1}.
 */
public final class SupportSetSnapshot {

    /** For each query, the nearest other prototype's row (-1: none) and its distance (+inf: none). */
    public record NearestOthers(int[] rows, float[] distances) {
    }

    /** Two prototypes within the radius asked for: rows {@code a < b}. */
    public record PrototypePair(int a, int b, double distance) {
    }

    private static final int CHUNK = 256;

    private final String modelVersion;
    private final int dimension;
    private final long revision;
    private final String[] employeeIds;
    private final String[] displayNames;
    private final float[] prototypes;
    private final int[] firstShot;
    private final UUID[] faceIds;
    private final float[][] shots;
    private volatile PrototypeTiles tiles;

    SupportSetSnapshot(String modelVersion, int dimension, long revision, String[] employeeIds, String[] displayNames,
                       float[] prototypes, int[] firstShot, UUID[] faceIds, float[][] shots) {
        this.modelVersion = modelVersion;
        this.dimension = dimension;
        this.revision = revision;
        this.employeeIds = employeeIds;
        this.displayNames = displayNames;
        this.prototypes = prototypes;
        this.firstShot = firstShot;
        this.faceIds = faceIds;
        this.shots = shots;
    }

    public String modelVersion() {
        return modelVersion;
    }

    public int dimension() {
        return dimension;
    }

    /** The support set's {@link SupportSet#revision()} when the copy was taken. */
    public long revision() {
        return revision;
    }

    public int employeeCount() {
        return employeeIds.length;
    }

    public int shotCount() {
        return faceIds.length;
    }

    public String employeeId(int row) {
        return employeeIds[row];
    }

    public String displayName(int row) {
        return displayNames[row];
    }

    /** The first shot of employee {@code row}; {@code firstShot(employeeCount())} is {@link #shotCount()}. */
    public int firstShot(int row) {
        return firstShot[row];
    }

    public int shotsOf(int row) {
        return firstShot[row + 1] - firstShot[row];
    }

    public UUID faceId(int shot) {
        return faceIds[shot];
    }

    /** A shot's embedding (shared, do not change it). */
    public float[] shot(int shot) {
        if (shots == null) {
            throw new IllegalStateException("this copy of the support set was kept without its shots");
        }
        return shots[shot];
    }

    /**
     * This copy without the shots' embeddings (ids, names, prototypes and face ids kept): what a result computed
     * from the shots keeps, so that a cached result does not hold every decrypted embedding on the heap.
     */
    public SupportSetSnapshot withoutShots() {
        SupportSetSnapshot lean = new SupportSetSnapshot(modelVersion, dimension, revision, employeeIds, displayNames,
                prototypes, firstShot, faceIds, null);
        lean.tiles = tiles;
        return lean;
    }

    /** A copy of employee {@code row}'s prototype (the mean of its shots). */
    public float[] prototype(int row) {
        float[] p = new float[dimension];
        System.arraycopy(prototypes, row * dimension, p, 0, dimension);
        return p;
    }

    /**
     * For each query, the nearest prototype other than {@code ownRows[i]} (-1 excludes none): the identify
     * situation for a face that is not that employee. Exact (every prototype is compared), in time linear in
     * queries x employees, spread over {@code threads} threads.
     */
    public NearestOthers nearestOthers(float[][] queries, int[] ownRows, int threads) {
        int[] rows = new int[queries.length];
        float[] distances = new float[queries.length];
        inParallel(queries.length, threads, (from, to) -> {
            PrototypeTiles t = tiles();
            float[] scratch = PrototypeTiles.scratch();
            int[] best = new int[1];
            float[] bestSquared = new float[1];
            for (int i = from; i < to; i++) {
                t.nearest(queries[i], ownRows[i], scratch, best, bestSquared, 0, null);
                rows[i] = best[0];
                distances[i] = (float) Math.sqrt(bestSquared[0]);
            }
            return null;
        });
        return new NearestOthers(rows, distances);
    }

    /**
     * Every pair of prototypes at most {@code radius} apart, nearest first, at most {@code limit} of them, with
     * each prototype's nearest other prototype (as {@link #nearestOthers} for the prototypes themselves).
     */
    public PairsAndNearest prototypePairs(double radius, int limit, int threads) {
        int n = employeeCount();
        float[][] queries = new float[n][];
        int[] own = new int[n];
        for (int r = 0; r < n; r++) {
            queries[r] = prototype(r);
            own[r] = r;
        }
        int[] rows = new int[n];
        float[] distances = new float[n];
        float collect = (float) (radius * radius);
        List<List<PrototypePair>> parts = inParallel(n, threads, (from, to) -> {
            PrototypeTiles t = tiles();
            float[] scratch = PrototypeTiles.scratch();
            int[] best = new int[1];
            float[] bestSquared = new float[1];
            List<PrototypePair> found = new ArrayList<>();
            for (int i = from; i < to; i++) {
                int a = i;
                t.nearest(queries[i], i, scratch, best, bestSquared, collect, (b, squared) -> {
                    if (a < b && found.size() < limit) {
                        found.add(new PrototypePair(a, b, Math.sqrt(squared)));
                    }
                });
                rows[i] = best[0];
                distances[i] = (float) Math.sqrt(bestSquared[0]);
            }
            return found;
        });
        List<PrototypePair> pairs = new ArrayList<>();
        parts.forEach(pairs::addAll);
        pairs.sort((x, y) -> Double.compare(x.distance(), y.distance()));
        return new PairsAndNearest(pairs.size() > limit ? List.copyOf(pairs.subList(0, limit)) : List.copyOf(pairs),
                new NearestOthers(rows, distances));
    }

    /** {@link #prototypePairs}' answer. */
    public record PairsAndNearest(List<PrototypePair> pairs, NearestOthers nearest) {
    }

    private PrototypeTiles tiles() {
        PrototypeTiles t = tiles;
        if (t == null) {
            synchronized (this) {
                if (tiles == null) {
                    tiles = new PrototypeTiles(prototypes, employeeIds.length, dimension);
                }
                t = tiles;
            }
        }
        return t;
    }

    private interface Range<T> {
        T run(int from, int to);
    }

    /** Runs {@code work} over chunks of {@code 0..n-1} on {@code threads} threads; the chunks' results in order. */
    private static <T> List<T> inParallel(int n, int threads, Range<T> work) {
        int chunks = (n + CHUNK - 1) / CHUNK;
        List<T> out = new ArrayList<>();
        if (threads <= 1 || chunks <= 1) {
            for (int c = 0; c < chunks; c++) {
                out.add(work.run(c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
            }
            return out;
        }
        AtomicInteger counter = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, chunks), r -> {
            Thread t = new Thread(r, "support-set-batch-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int c = 0; c < chunks; c++) {
                int from = c * CHUNK;
                int to = Math.min(n, from + CHUNK);
                futures.add(pool.submit(() -> work.run(from, to)));
            }
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("batch matching interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
