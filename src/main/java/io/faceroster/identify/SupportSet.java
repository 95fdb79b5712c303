package io.faceroster.identify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The k-way n-shot support set of one model version: every enrolled employee is a class whose prototype is the
 * mean of its shot embeddings. Matching scans an int8 copy of the prototypes held on the heap
 * ({@link QuantisedIndex}: 136 bytes a prototype) and re-ranks the few candidates whose bound can still win with
 * the exact float32 arithmetic of {@link #nearestExact}, so both answer the same. The float32 shots and prototypes
 * themselves live off the heap in an encrypted, memory-mapped scratch file ({@link FloatRowFile}); only the
 * re-ranked rows are read per query. Readers (identify, verify) share a read lock; enrolments and deletions take
 * the write lock briefly to update one employee.
 *
 * <p>Size: about 425 lines because the int8 rows, the float32 rows ({@link EmployeeClass}) and the employee index
 * share one dense layout and one lock: every add, replace and swap-remove must move all three together.
 */
public final class SupportSet {

    /** One shot of an employee. */
    public record Shot(UUID faceId, float[] embedding) {
    }

    /** A class's distance to a query. */
    public record Candidate(String employeeId, String displayName, double distance) {
    }

    /**
     * Result of a query: the nearest classes, nearest first, and how many prototypes were compared exactly (read
     * from the float file) to find them.
     */
    public record Ranking(List<Candidate> candidates, int reranked) {
    }

    private final String modelVersion;
    private final int dimension;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, EmployeeClass> classes = new HashMap<>();
    private final List<EmployeeClass> rows = new ArrayList<>();
    private final QuantisedIndex quantised;
    private final FloatRowFile floats;
    private int shotCount;
    private long revision;

    public SupportSet(String modelVersion, int dimension) {
        this(modelVersion, dimension, new FloatRowFile(dimension));
    }

    SupportSet(String modelVersion, int dimension, FloatRowFile floats) {
        this.modelVersion = modelVersion;
        this.dimension = dimension;
        this.quantised = new QuantisedIndex(dimension);
        this.floats = floats;
    }

    public String modelVersion() {
        return modelVersion;
    }

    public int dimension() {
        return dimension;
    }

    /** Adds shots to an employee's class (creating it), recomputing its prototype; a known face id is replaced. */
    public void add(String employeeId, String displayName, List<Shot> shots) {
        for (Shot s : shots) {
            if (s.embedding().length != dimension) {
                throw new IllegalArgumentException("embedding has " + s.embedding().length
                        + " dimensions, support set of " + modelVersion + " has " + dimension);
            }
        }
        if (shots.isEmpty()) {
            rename(employeeId, displayName);
            return;
        }
        lock.writeLock().lock();
        try {
            EmployeeClass c = classes.get(employeeId);
            boolean created = c == null;
            if (created) {
                c = new EmployeeClass(employeeId, displayName);
                c.row = rows.size();
                classes.put(employeeId, c);
                rows.add(c);
            }
            c.displayName = displayName;
            int before = c.shots();
            try {
                for (Shot s : shots) {
                    c.putShot(s.faceId(), s.embedding(), floats);
                }
                writePrototype(c);
            } catch (RuntimeException e) {
                // the float file could not grow (disk full): leave the index as consistent as it was
                if (created) {
                    c.free(floats);
                    classes.remove(employeeId);
                    rows.remove(rows.size() - 1);
                } else {
                    c.truncate(before, floats);
                    writePrototype(c);    // allocates nothing at the old shot count
                }
                throw e;
            }
            shotCount += c.shots() - before;
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
            if (c != null && c.shots() == shots.size()
                    && shots.stream().allMatch(s -> c.has(s.faceId()))) {
                c.displayName = displayName;
                return;
            }
            if (c != null) {
                shotCount -= c.shots();
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
            if (c == null || !c.has(faceId)) {
                return;
            }
            shotCount--;
            revision++;
            if (c.shots() == 1) {
                removeClass(c);
            } else {
                c.removeShot(faceId, floats);
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
            int shots = c.shots();
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
                for (int i = 0; i < c.shots(); i++) {
                    out.put(c.faceId(i), c.employeeId);
                }
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
     * The {@code limit} nearest classes to the query, nearest first: the int8 first pass with exact float32
     * re-ranking ({@link QuantisedIndex}), which answers exactly what {@link #nearestExact} answers while reading
     * only the re-ranked prototypes from the float file.
     */
    public Ranking nearest(float[] query, int limit) {
        lock.readLock().lock();
        try {
            float[] prototype = new float[dimension];
            QuantisedIndex.Nearest found = quantised.nearest(query, limit, (q, row, bound) -> {
                rows.get(row).readPrototype(floats, prototype);
                return ExactDistance.squared(q, prototype, 0, bound);
            });
            return ranking(found.rows(), found.squared(), found.rows().length, found.reranked());
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * {@link #nearest} by a float32 scan of every prototype: the reference the quantised pass must equal (it reads
     * every row of the float file, so it is for tests and small sets).
     */
    public Ranking nearestExact(float[] query, int limit) {
        lock.readLock().lock();
        try {
            int n = rows.size();
            int k = Math.min(limit, n);
            int[] best = new int[k];
            double[] bestD = new double[k];
            int filled = 0;
            float[] prototype = new float[dimension];
            for (int r = 0; r < n; r++) {
                // Once k candidates are known, a prototype can be abandoned as soon as its partial distance
                // exceeds the k-th best.
                double bound = filled < k ? Double.POSITIVE_INFINITY : bestD[k - 1];
                rows.get(r).readPrototype(floats, prototype);
                double d = ExactDistance.squared(query, prototype, 0, bound);
                if (filled < k) {
                    insert(best, bestD, filled++, r, d);
                } else if (k > 0 && d < bestD[k - 1]) {
                    insert(best, bestD, k - 1, r, d);
                }
            }
            return ranking(best, bestD, filled, n);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Heap bytes of the matching index: the int8 first pass and its per-row scale and norm (capacity included). */
    public long indexBytes() {
        lock.readLock().lock();
        try {
            return quantised.bytes();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Bytes of the float file (the float32 shots and prototypes, off the heap, paged in by the kernel as queries
     * re-rank them): its length up to the highest row used.
     */
    public long floatFileBytes() {
        lock.readLock().lock();
        try {
            return floats.fileBytes();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Releases the float file (its disk and page cache) once this set is no longer served, after a model switch;
     * any later use throws {@link IllegalStateException}.
     */
    public void retire() {
        lock.writeLock().lock();
        try {
            floats.close();
        } finally {
            lock.writeLock().unlock();
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
            float[] prototype = new float[dimension];
            c.readPrototype(floats, prototype);
            return OptionalDouble.of(Math.sqrt(ExactDistance.squared(query, prototype, 0, Double.POSITIVE_INFINITY)));
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
     * in one pass (every float row decrypted onto the heap: about 1 KB a one-shot employee while the copy lives):
     * identify and verify keep running, writers wait only for the copy.
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
            float[] prototypes = new float[n * dimension];
            float[] prototype = new float[dimension];
            int s = 0;
            for (int r = 0; r < n; r++) {
                EmployeeClass c = rows.get(r);
                ids[r] = c.employeeId;
                names[r] = c.displayName;
                firstShot[r] = s;
                for (int i = 0; i < c.shots(); i++) {
                    faceIds[s] = c.faceId(i);
                    float[] shot = new float[dimension];
                    c.readShot(i, floats, shot);
                    shots[s++] = shot;
                }
                c.readPrototype(floats, prototype);
                System.arraycopy(prototype, 0, prototypes, r * dimension, dimension);
            }
            firstShot[n] = s;
            return new SupportSetSnapshot(modelVersion, dimension, revision, ids, names, prototypes, firstShot,
                    faceIds, shots);
        } finally {
            lock.readLock().unlock();
        }
    }

    private Ranking ranking(int[] best, double[] squared, int filled, int reranked) {
        List<Candidate> out = new ArrayList<>(filled);
        for (int i = 0; i < filled; i++) {
            EmployeeClass c = rows.get(best[i]);
            out.add(new Candidate(c.employeeId, c.displayName, Math.sqrt(squared[i])));
        }
        return new Ranking(out, reranked);
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

    /** Recomputes the employee's prototype into its float row and the int8 first pass. */
    private void writePrototype(EmployeeClass c) {
        float[] mean = new float[dimension];
        c.writePrototype(floats, mean);
        quantised.set(c.row, mean, 0);
    }

    /** Frees the employee's float rows and swaps the last row into its place so the index stays dense. */
    private void removeClass(EmployeeClass c) {
        c.free(floats);
        classes.remove(c.employeeId);
        int last = rows.size() - 1;
        if (c.row != last) {
            EmployeeClass moved = rows.get(last);
            moved.row = c.row;
            rows.set(c.row, moved);
        }
        rows.remove(last);
        quantised.removeBySwap(c.row);
    }
}
