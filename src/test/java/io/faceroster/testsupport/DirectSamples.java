package io.faceroster.testsupport;

import io.faceroster.cli.IdentifyBenchmark;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Enrolments written straight into the database as {@code Enrolment} commits them (employee row, face sample with
 * a float32 little-endian embedding, change-log row, one transaction), without embedding photos: for replication
 * tests that need many enrolments quickly. The crop is a placeholder (never decoded by the code under test).
 */
public final class DirectSamples {

    private DirectSamples() {
    }

    /** Commits one employee with one sample of {@code modelVersion}; returns the commit instant (nanoTime). */
    public static long enrol(DataSource db, String employeeId, String modelVersion, float[] embedding)
            throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            Timestamp now = Timestamp.from(Instant.now());
            long pk;
            try (PreparedStatement s = c.prepareStatement("insert into employee (employee_id, display_name, created_at, "
                    + "updated_at) values (?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                s.setString(1, employeeId);
                s.setString(2, "Direct " + employeeId);
                s.setTimestamp(3, now);
                s.setTimestamp(4, now);
                s.executeUpdate();
                try (var keys = s.getGeneratedKeys()) {
                    keys.next();
                    pk = keys.getLong(1);
                }
            }
            try (PreparedStatement s = c.prepareStatement("insert into face_sample (id, employee_pk, crop_png, embedding, "
                    + "model_version, created_at) values (?, ?, ?, ?, ?, ?)")) {
                s.setObject(1, UUID.randomUUID());
                s.setLong(2, pk);
                s.setBytes(3, new byte[] {1});
                s.setBytes(4, bytes(embedding));
                s.setString(5, modelVersion);
                s.setTimestamp(6, now);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("insert into support_set_change (kind, employee_id, replica_id, "
                    + "created_at) values ('ENROL', ?, 'direct', ?)")) {
                s.setString(1, employeeId);
                s.setTimestamp(2, now);
                s.executeUpdate();
            }
            if (c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres")) {
                try (Statement s = c.createStatement()) {
                    s.execute("select pg_notify('faceroster_support_set', 'direct')");
                }
            }
            c.commit();
            return System.nanoTime();
        }
    }

    public static float[] unit(Random rng) {
        return IdentifyBenchmark.randomUnit(rng, 128);
    }

    private static byte[] bytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }
}
