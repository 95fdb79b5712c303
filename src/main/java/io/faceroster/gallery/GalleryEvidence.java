package io.faceroster.gallery;

import io.faceroster.identify.SupportSetSnapshot;
import java.time.Instant;
import java.util.Arrays;

/**
 * What the enrolled faces say about a threshold, from one snapshot of the active support set (stored
 * embeddings, no re-embedding):
 * <ul>
 * <li><b>impostor attempts:</b> every face sample against the prototypes of every other employee, keeping the
 * nearest (the identify situation for a stranger: the sample's own employee is not in the gallery it faces);</li>
 * <li><b>genuine comparisons:</b> leave-one-out, each sample of an employee with 2+ samples against the prototype
 * of that employee's other samples.</li>
 * </ul>
 * Time linear in samples x employees (the impostor pass is {@link SupportSetSnapshot#nearestOthers}).
 *
 * Size: about 270 lines, most of them accessors of the one immutable result; the computation itself is
 * {@code of(...)}.
 */
public final class GalleryEvidence {

    private final SupportSetSnapshot snapshot;
    private final int[] ownRow;
    private final float[] genuine;          // per shot; NaN for an employee with one sample
    private final int[] nearestOtherRow;    // per shot
    private final float[] nearestOther;     // per shot; NaN when the shot made no impostor attempt (not sampled)
    private final boolean[] attempted;      // per shot: faced the gallery as an impostor attempt
    private final int samplesOfferingAttempts;
    private final float[] impostorSorted;
    private final float[] genuineSorted;
    private final Instant computedAt;
    private final long tookMs;

    private GalleryEvidence(SupportSetSnapshot snapshot, int[] ownRow, float[] genuine, int[] nearestOtherRow,
                            float[] nearestOther, boolean[] attempted, Instant computedAt, long tookMs) {
        this.snapshot = snapshot.withoutShots();   // cached: keep the prototypes, not every decrypted shot
        this.attempted = attempted;
        this.samplesOfferingAttempts = snapshot.employeeCount() > 1 ? ownRow.length : 0;
        this.ownRow = ownRow;
        this.genuine = genuine;
        this.nearestOtherRow = nearestOtherRow;
        this.nearestOther = nearestOther;
        this.computedAt = computedAt;
        this.tookMs = tookMs;
        this.impostorSorted = CalibrationMaths.sorted(finite(nearestOther));
        this.genuineSorted = CalibrationMaths.sorted(finite(genuine));
    }

    /** Every sample makes an impostor attempt. */
    public static GalleryEvidence of(SupportSetSnapshot snapshot, int threads, Instant now) {
        return of(snapshot, threads, now, 0);
    }

    /**
     * At most {@code maxAttempts} samples (0: all) make impostor attempts, a seeded random subset when there are
     * more (the same subset for the same gallery); every sample still gives its genuine comparison.
     */
    public static GalleryEvidence of(SupportSetSnapshot snapshot, int threads, Instant now, int maxAttempts) {
        long start = System.nanoTime();
        int shots = snapshot.shotCount();
        int dim = snapshot.dimension();
        int[] own = new int[shots];
        float[][] queries = new float[shots][];
        float[] genuine = new float[shots];
        Arrays.fill(genuine, Float.NaN);
        for (int row = 0; row < snapshot.employeeCount(); row++) {
            int first = snapshot.firstShot(row);
            int n = snapshot.shotsOf(row);
            float[] prototype = snapshot.prototype(row);
            for (int s = first; s < first + n; s++) {
                own[s] = row;
                queries[s] = snapshot.shot(s);
                if (n >= 2) {
                    // Prototype of the other n-1 samples: (n * mean - x) / (n - 1).
                    float[] x = snapshot.shot(s);
                    double sum = 0;
                    for (int d = 0; d < dim; d++) {
                        double loo = (n * (double) prototype[d] - x[d]) / (n - 1);
                        double diff = x[d] - loo;
                        sum += diff * diff;
                    }
                    genuine[s] = (float) Math.sqrt(sum);
                }
            }
        }
        int[] chosen = attempts(shots, maxAttempts);
        float[][] q = new float[chosen.length][];
        int[] qOwn = new int[chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            q[i] = queries[chosen[i]];
            qOwn[i] = own[chosen[i]];
        }
        SupportSetSnapshot.NearestOthers others = snapshot.nearestOthers(q, qOwn, threads);
        int[] rows = new int[shots];
        float[] distances = new float[shots];
        boolean[] attempted = new boolean[shots];
        Arrays.fill(rows, -1);
        Arrays.fill(distances, Float.NaN);
        for (int i = 0; i < chosen.length; i++) {
            rows[chosen[i]] = others.rows()[i];
            distances[chosen[i]] = others.distances()[i];
            attempted[chosen[i]] = true;
        }
        return new GalleryEvidence(snapshot, own, genuine, rows, distances, attempted, now,
                (System.nanoTime() - start) / 1_000_000);
    }

    /** All shot indices, or a seeded random {@code max} of them in ascending order. */
    private static int[] attempts(int shots, int max) {
        int[] all = new int[shots];
        for (int i = 0; i < shots; i++) {
            all[i] = i;
        }
        if (max <= 0 || shots <= max) {
            return all;
        }
        java.util.SplittableRandom rng = new java.util.SplittableRandom(12345);
        for (int i = 0; i < max; i++) {   // partial Fisher-Yates
            int j = i + rng.nextInt(shots - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] chosen = Arrays.copyOf(all, max);
        Arrays.sort(chosen);
        return chosen;
    }

    public SupportSetSnapshot snapshot() {
        return snapshot;
    }

    public String modelVersion() {
        return snapshot.modelVersion();
    }

    public Instant computedAt() {
        return computedAt;
    }

    public long tookMs() {
        return tookMs;
    }

    public int employees() {
        return snapshot.employeeCount();
    }

    public int samples() {
        return snapshot.shotCount();
    }

    /** Employees with two or more samples (the ones that give genuine comparisons). */
    public int employeesWithSeveralSamples() {
        int n = 0;
        for (int row = 0; row < snapshot.employeeCount(); row++) {
            n += snapshot.shotsOf(row) >= 2 ? 1 : 0;
        }
        return n;
    }

    /** Impostor attempts: samples that faced at least one other employee. */
    public int impostorAttempts() {
        return impostorSorted.length;
    }

    /** Whether only a random subset of the samples made impostor attempts. */
    public boolean impostorAttemptsSampled() {
        return impostorAttempts() < samplesOfferingAttempts;
    }

    /** Sample-to-other-prototype comparisons made: attempts x (employees - 1). */
    public long impostorComparisons() {
        return employees() < 2 ? 0 : (long) impostorAttempts() * (employees() - 1);
    }

    /** Whether the shot made an impostor attempt (all do unless the attempts were sampled). */
    public boolean attempted(int shot) {
        return attempted[shot];
    }

    public int genuineComparisons() {
        return genuineSorted.length;
    }

    /** Nearest-other-prototype distance of every impostor attempt, ascending. */
    public float[] impostorSorted() {
        return impostorSorted;
    }

    /** Leave-one-out genuine distances, ascending. */
    public float[] genuineSorted() {
        return genuineSorted;
    }

    public int ownRow(int shot) {
        return ownRow[shot];
    }

    /** The shot's leave-one-out distance to its own employee, NaN for an employee with one sample. */
    public float genuine(int shot) {
        return genuine[shot];
    }

    public int nearestOtherRow(int shot) {
        return nearestOtherRow[shot];
    }

    public float nearestOther(int shot) {
        return nearestOther[shot];
    }

    /** False accept rate per identify attempt at {@code threshold}, with its interval (clustered by employee). */
    public CalibrationMaths.Rate farAt(double threshold) {
        return byEmployee(s -> Float.isFinite(nearestOther[s]), s -> nearestOther[s] <= threshold);
    }

    /** Genuine comparisons accepted at {@code threshold} (leave-one-out), with its interval. */
    public CalibrationMaths.Rate tarAt(double threshold) {
        return byEmployee(s -> Float.isFinite(genuine[s]), s -> genuine[s] <= threshold);
    }

    /** Genuine samples identified at {@code threshold}: own prototype within it and nearer than any other. */
    public CalibrationMaths.Rate identifiedAt(double threshold) {
        return byEmployee(s -> Float.isFinite(genuine[s]) && attempted[s],
                s -> genuine[s] <= threshold && !(nearestOther[s] < genuine[s]));
    }

    private CalibrationMaths.Rate byEmployee(java.util.function.IntPredicate counts,
                                             java.util.function.IntPredicate accepted) {
        int employees = snapshot.employeeCount();
        int[] k = new int[employees];
        int[] n = new int[employees];
        int used = 0;
        for (int s = 0; s < ownRow.length; s++) {
            if (counts.test(s)) {
                int row = ownRow[s];
                if (n[row] == 0) {
                    used++;
                }
                n[row]++;
                k[row] += accepted.test(s) ? 1 : 0;
            }
        }
        // Only employees that contributed attempts are resampled.
        int[] kc = new int[used];
        int[] nc = new int[used];
        int i = 0;
        for (int row = 0; row < employees; row++) {
            if (n[row] > 0) {
                kc[i] = k[row];
                nc[i++] = n[row];
            }
        }
        return CalibrationMaths.clustered(kc, nc);
    }

    private static float[] finite(float[] values) {
        float[] out = new float[values.length];
        int n = 0;
        for (float v : values) {
            if (Float.isFinite(v)) {
                out[n++] = v;
            }
        }
        return Arrays.copyOf(out, n);
    }
}
