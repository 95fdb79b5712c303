package io.faceroster.identify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The in-memory k-way n-shot support set of one model version: every enrolled employee is a class whose
 * prototype is the mean of its shot embeddings. Prototypes sit in one contiguous float array so that a
 * query scans memory linearly. Readers (identify, verify) share a read lock; enrolments and deletions take
 * the write lock briefly to update one employee's prototype. {@link #nearest} scans the int8 copy of the
 * prototypes ({@link QuantisedIndex}) first and re-ranks with the exact float32 arithmetic of
 * {@link #nearestExact}, so both answer the same.
 *
 * <p>Size: about 420 lines because the float32 rows, the int8 rows and the employee index share one dense layout
 * and one lock: every add, replace and swap-remove must move all three together.
 */
public final class SupportSet {

    /** One shot of an employee. */
    public record Shot(UUID faceId, float[] embedding) {
    }

    /** A class's distance to a query. */
    public record Candidate(String employeeId, String displayName, double distance) {
    }

    /** Result of a query: the nearest classes, nearest first. */
    public record Ranking(List<Candidate> candidates) {
    }

    private final String modelVersion;
    private final int dimension;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, EmployeeClass> classes = new HashMap<>();
    private final List<EmployeeClass> rows = new ArrayList<>();
    private float[] prototypes = new float[0];
    // int8 first pass for large sets; always kept row for row with prototypes (see nearest)
    private final QuantisedIndex quantised;
    private int shotCount;
    private long revision;

    private static final class EmployeeClass {
        final String employeeId;
        String displayName;
        final Map<UUID, float[]> shots = new LinkedHashMap<>();
        int row;

        EmployeeClass(String employeeId, String displayName) {
            this.employeeId = employeeId;
            this.displayName = displayName;
        }
    }

    public SupportSet(String modelVersion, int dimension) {
        this.modelVersion = modelVersion;
        this.dimension = dimension;
        this.quantised = new QuantisedIndex(dimension);
    }

    /** From this many employees on, {@link #nearest} goes through the quantised first pass. */
    static final int QUANTISED_FROM = 2048;

    public String modelVersion() {
        return modelVersion;
    }

    public int dimension() {
        return dimension;
    }

    /** Adds shots to an employee's class (creating it), recomputing its prototype. */
    public void add(String employeeId, String displayName, List<Shot> shots) {
        lock.writeLock().lock();
        try {
            EmployeeClass c = classes.get(employeeId);
            if (c == null) {
                c = new EmployeeClass(employeeId, displayName);
                c.row = rows.size();
                classes.put(employeeId, c);
                rows.add(c);
                if (prototypes.length < rows.size() * dimension) {
                    prototypes = Arrays.copyOf(prototypes, Math.max(rows.size() * dimension, prototypes.length * 2));
                }
            }
            c.displayName = displayName;
            for (Shot s : shots) {
                if (s.embedding().length != dimension) {
                    throw new IllegalArgumentException("embedding has " + s.embedding().length
                            + " dimensions, support set of " + modelVersion + " has " + dimension);
                }
                if (c.shots.put(s.faceId(), s.embedding()) == null) {
                    shotCount++;
                }
            }
            writePrototype(c);
            revision++;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Makes the employee's class exactly {@code shots} (none: the employee leaves), in one step for readers: how a
     * replica applies another replica's change after re-reading the employee's samples.
     */
    public void replace(String employeeId, String displayName, List<Shot> shots) {
        lock.writeLock().lock();
        try {
            EmployeeClass c = classes.get(employeeId);
            if (c != null && c.shots.size() == shots.size()
                    && shots.stream().allMatch(s -> c.shots.containsKey(s.faceId()))) {
                c.displayName = displayName;
                return;
            }
            if (c != null) {
                shotCount -= c.shots.size();
                revision++;
                removeClass(c);
            }
            if (!shots.isEmpty()) {
                add(employeeId, displayName, shots);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    public void rename(String employeeId, String displayName) {
        lock.writeLock().lock();
        try {
            EmployeeClass c = classes.get(employeeId);
            if (c != null) {
                c.displayName = displayName;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes one shot; an employee left without shots leaves the support set. */
    public void removeShot(String employeeId, UUID faceId) {
        lock.writeLock().lock();
        try {
            EmployeeClass c = classes.get(employeeId);
            if (c == null || c.shots.remove(faceId) == null) {
                return;
            }
            shotCount--;
            revision++;
            if (c.shots.isEmpty()) {
                removeClass(c);
            } else {
                writePrototype(c);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes the employee's class and every shot of it; returns how many shots were removed. */
    public int removeEmployee(String employeeId) {
        lock.writeLock().lock();
        try {
            EmployeeClass c = classes.get(employeeId);
            if (c == null) {
                return 0;
            }
            int shots = c.shots.size();
            shotCount -= shots;
            revision++;
            removeClass(c);
            return shots;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Every shot's face id with its employee id. */
    public Map<UUID, String> shotOwners() {
        lock.readLock().lock();
        try {
            Map<UUID, String> out = new HashMap<>();
            for (EmployeeClass c : rows) {
                c.shots.keySet().forEach(id -> out.put(id, c.employeeId));
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    public int employeeCount() {
        lock.readLock().lock();
        try {
            return rows.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    public int shotCount() {
        lock.readLock().lock();
        try {
            return shotCount;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The {@code limit} nearest classes to the query, nearest first: from {@value #QUANTISED_FROM} employees on
     * through the int8 first pass with exact float32 re-ranking ({@link QuantisedIndex}), which answers exactly
     * what {@link #nearestExact} answers at a fraction of the memory traffic.
     */
    public Ranking nearest(float[] query, int limit) {
        lock.readLock().lock();
        try {
            if (rows.size() < QUANTISED_FROM) {
                return nearestExact(query, limit);
            }
            QuantisedIndex.Nearest found = quantised.nearest(query, limit,
                    (q, row, bound) -> distanceSquared(q, prototypes, row * dimension, bound));
            List<Candidate> out = new ArrayList<>(found.rows().length);
            for (int i = 0; i < found.rows().length; i++) {
                EmployeeClass c = rows.get(found.rows()[i]);
                out.add(new Candidate(c.employeeId, c.displayName, Math.sqrt(found.squared()[i])));
            }
            return new Ranking(out);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** {@link #nearest} by a float32 scan of every prototype: the reference the quantised pass must equal. */
    public Ranking nearestExact(float[] query, int limit) {
        lock.readLock().lock();
        try {
            int n = rows.size();
            int k = Math.min(limit, n);
            int[] best = new int[k];
            double[] bestD = new double[k];
            int filled = 0;
            for (int r = 0; r < n; r++) {
                // Once k candidates are known, a prototype can be abandoned as soon as its partial distance
                // exceeds the k-th best: most of a large support set is rejected after a few dimensions.
                double bound = filled < k ? Double.POSITIVE_INFINITY : bestD[k - 1];
                double d = distanceSquared(query, prototypes, r * dimension, bound);
                if (filled < k) {
                    insert(best, bestD, filled++, r, d);
                } else if (k > 0 && d < bestD[k - 1]) {
                    insert(best, bestD, k - 1, r, d);
                }
            }
            List<Candidate> out = new ArrayList<>(filled);
            for (int i = 0; i < filled; i++) {
                EmployeeClass c = rows.get(best[i]);
                out.add(new Candidate(c.employeeId, c.displayName, Math.sqrt(bestD[i])));
            }
            return new Ranking(out);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Bytes of the matching index: the float32 prototypes and the int8 first pass (capacity included). */
    public long indexBytes() {
        lock.readLock().lock();
        try {
            return 4L * prototypes.length + quantised.bytes();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Bytes of the int8 first pass alone. */
    public long firstPassBytes() {
        lock.readLock().lock();
        try {
            return quantised.bytes();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The first pass's inner loop in this JVM: {@code vector-api} or {@code plain-loops}. */
    public static String scanImplementation() {
        return CodeScan.implementation();
    }

    /** Distance from the query to one employee's prototype, or empty when the employee has no shots. */
    public OptionalDouble distanceTo(String employeeId, float[] query) {
        lock.readLock().lock();
        try {
            EmployeeClass c = classes.get(employeeId);
            if (c == null) {
                return OptionalDouble.empty();
            }
            return OptionalDouble.of(Math.sqrt(distanceSquared(query, prototypes, c.row * dimension,
                    Double.POSITIVE_INFINITY)));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A number that changes with every change of shots (not with a rename): cached batch results compare it. */
    public long revision() {
        lock.readLock().lock();
        try {
            return revision;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * A consistent copy of the whole set for batch work (calibration, gallery health), taken under the read lock
     * in one pass: identify and verify keep running, writers wait only for the copy.
     */
    public SupportSetSnapshot snapshot() {
        lock.readLock().lock();
        try {
            int n = rows.size();
            String[] ids = new String[n];
            String[] names = new String[n];
            int[] firstShot = new int[n + 1];
            UUID[] faceIds = new UUID[shotCount];
            float[][] shots = new float[shotCount][];
            int s = 0;
            for (int r = 0; r < n; r++) {
                EmployeeClass c = rows.get(r);
                ids[r] = c.employeeId;
                names[r] = c.displayName;
                firstShot[r] = s;
                for (Map.Entry<UUID, float[]> e : c.shots.entrySet()) {
                    faceIds[s] = e.getKey();
                    shots[s++] = e.getValue();   // shot arrays are never changed once added
                }
            }
            firstShot[n] = s;
            return new SupportSetSnapshot(modelVersion, dimension, revision, ids, names,
                    Arrays.copyOf(prototypes, n * dimension), firstShot, faceIds, shots);
        } finally {
            lock.readLock().unlock();
        }
    }

    private static void insert(int[] best, double[] bestD, int from, int row, double d) {
        int i = from;
        while (i > 0 && bestD[i - 1] > d) {
            best[i] = best[i - 1];
            bestD[i] = bestD[i - 1];
            i--;
        }
        best[i] = row;
        bestD[i] = d;
    }

    /** Squared distance, or any value above {@code bound} once the partial sum passes it. */
    private static double distanceSquared(float[] q, float[] p, int offset, double bound) {
        float s = 0;
        int i = 0;
        int n = q.length;
        while (i < n) {
            // Four independent accumulators let the JIT pipeline the arithmetic; check the bound every 16.
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            int end = Math.min(n, i + 16);
            for (; i + 3 < end; i += 4) {
                float d0 = q[i] - p[offset + i];
                float d1 = q[i + 1] - p[offset + i + 1];
                float d2 = q[i + 2] - p[offset + i + 2];
                float d3 = q[i + 3] - p[offset + i + 3];
                s0 += d0 * d0;
                s1 += d1 * d1;
                s2 += d2 * d2;
                s3 += d3 * d3;
            }
            for (; i < end; i++) {
                float d = q[i] - p[offset + i];
                s0 += d * d;
            }
            s += (s0 + s1) + (s2 + s3);
            if (s > bound) {
                return s;
            }
        }
        return s;
    }

    private void writePrototype(EmployeeClass c) {
        int base = c.row * dimension;
        Arrays.fill(prototypes, base, base + dimension, 0f);
        for (float[] e : c.shots.values()) {
            for (int i = 0; i < dimension; i++) {
                prototypes[base + i] += e[i];
            }
        }
        for (int i = 0; i < dimension; i++) {
            prototypes[base + i] /= c.shots.size();
        }
        quantised.set(c.row, prototypes, base);
    }

    /** Swaps the last row into the removed one so the array stays dense. */
    private void removeClass(EmployeeClass c) {
        classes.remove(c.employeeId);
        int last = rows.size() - 1;
        if (c.row != last) {
            EmployeeClass moved = rows.get(last);
            System.arraycopy(prototypes, last * dimension, prototypes, c.row * dimension, dimension);
            moved.row = c.row;
            rows.set(c.row, moved);
        }
        rows.remove(last);
        quantised.removeBySwap(c.row);
    }
}
