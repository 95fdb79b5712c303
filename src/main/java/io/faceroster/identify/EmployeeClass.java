package io.faceroster.identify;

import java.util.Arrays;
import java.util.UUID;

/**
 * One employee's class in a {@link SupportSet}: its shots (face ids and their rows in the support set's
 * {@link FloatRowFile}, in the order they were added) and its prototype, the mean of the shots. One shot is its own
 * prototype; two or more get a row of their own for the mean. Guarded by the support set's lock.
 */
final class EmployeeClass {

    final String employeeId;
    String displayName;
    /** This class's row in the support set's dense index. */
    int row;
    private UUID[] faceIds = new UUID[0];
    private int[] shotRows = new int[0];
    private int prototypeRow = -1;

    EmployeeClass(String employeeId, String displayName) {
        this.employeeId = employeeId;
        this.displayName = displayName;
    }

    int shots() {
        return faceIds.length;
    }

    UUID faceId(int shot) {
        return faceIds[shot];
    }

    boolean has(UUID faceId) {
        return indexOf(faceId) >= 0;
    }

    /** Stores the shot (a known face id gets the new embedding); true when it is a new shot. */
    boolean putShot(UUID faceId, float[] embedding, FloatRowFile floats) {
        int known = indexOf(faceId);
        if (known >= 0) {
            floats.write(shotRows[known], embedding, 0);
            return false;
        }
        int row = floats.allocate();    // first: if the file cannot grow, this class is unchanged
        floats.write(row, embedding, 0);
        int at = faceIds.length;
        faceIds = Arrays.copyOf(faceIds, at + 1);
        shotRows = Arrays.copyOf(shotRows, at + 1);
        faceIds[at] = faceId;
        shotRows[at] = row;
        return true;
    }

    /** Drops one shot (not the last: the caller removes the class instead); true when it was there. */
    boolean removeShot(UUID faceId, FloatRowFile floats) {
        int at = indexOf(faceId);
        if (at < 0) {
            return false;
        }
        floats.free(shotRows[at]);
        faceIds = without(faceIds, at);
        int[] rows = new int[shotRows.length - 1];
        System.arraycopy(shotRows, 0, rows, 0, at);
        System.arraycopy(shotRows, at + 1, rows, at, rows.length - at);
        shotRows = rows;
        return true;
    }

    /** Drops the shots added after the first {@code shots} (an add that could not finish). */
    void truncate(int shots, FloatRowFile floats) {
        for (int i = shots; i < shotRows.length; i++) {
            floats.free(shotRows[i]);
        }
        faceIds = Arrays.copyOf(faceIds, shots);
        shotRows = Arrays.copyOf(shotRows, shots);
    }

    /**
     * Recomputes the prototype (the shots summed in the order they were added, divided by their number) into
     * {@code mean} and, for two or more shots, into its own float row.
     */
    void writePrototype(FloatRowFile floats, float[] mean) {
        if (shotRows.length == 1) {
            if (prototypeRow >= 0) {
                floats.free(prototypeRow);
                prototypeRow = -1;
            }
            floats.read(shotRows[0], mean);
            return;
        }
        Arrays.fill(mean, 0f);
        float[] shot = new float[mean.length];
        for (int r : shotRows) {
            floats.read(r, shot);
            for (int i = 0; i < mean.length; i++) {
                mean[i] += shot[i];
            }
        }
        for (int i = 0; i < mean.length; i++) {
            mean[i] /= shotRows.length;
        }
        if (prototypeRow < 0) {
            prototypeRow = floats.allocate();
        }
        floats.write(prototypeRow, mean, 0);
    }

    void readPrototype(FloatRowFile floats, float[] target) {
        floats.read(shotRows.length == 1 ? shotRows[0] : prototypeRow, target);
    }

    void readShot(int shot, FloatRowFile floats, float[] target) {
        floats.read(shotRows[shot], target);
    }

    /** Frees every float row of this class (it leaves the support set). */
    void free(FloatRowFile floats) {
        for (int r : shotRows) {
            floats.free(r);
        }
        if (prototypeRow >= 0) {
            floats.free(prototypeRow);
        }
        faceIds = new UUID[0];
        shotRows = new int[0];
        prototypeRow = -1;
    }

    private int indexOf(UUID faceId) {
        for (int i = 0; i < faceIds.length; i++) {
            if (faceIds[i].equals(faceId)) {
                return i;
            }
        }
        return -1;
    }

    private static UUID[] without(UUID[] a, int at) {
        UUID[] out = new UUID[a.length - 1];
        System.arraycopy(a, 0, out, 0, at);
        System.arraycopy(a, at + 1, out, at, a.length - at - 1);
        return out;
    }
}
