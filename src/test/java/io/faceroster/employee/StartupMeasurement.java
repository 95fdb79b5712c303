package io.faceroster.employee;

import io.faceroster.identify.Recognizer;
import io.faceroster.identify.SupportSet;
import io.faceroster.cli.IdentifyBenchmark;
import io.faceroster.cli.ResidentMemory;
import io.faceroster.testsupport.RunningApp;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: the start-up time of a replica with N stored 1-shot samples on an embedded PostgreSQL 16, and the
 * heap its support set takes. Run with {@code -Dfaceroster.measure.startup-samples=1000000}; with
 * {@code -Dfaceroster.measure.after-switch=true} as after a promotion (another version active, its embeddings kept
 * beside the samples' own, {@code face_embedding}).
 */
class StartupMeasurement {

    @Test
    @EnabledIfSystemProperty(named = "faceroster.measure.startup-samples", matches = "\\d+")
    void startWithManyStoredSamples() throws Exception {
        int n = Integer.parseInt(System.getProperty("faceroster.measure.startup-samples"));
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            Map<String, String> props = Map.of("spring.datasource.url", pg.getJdbcUrl("postgres", "postgres")
                            + "&reWriteBatchedInserts=true", "spring.datasource.username", "postgres",
                    "spring.datasource.password", "postgres", "logging.level.root", "WARN");
            String version;
            try (RunningApp app = RunningApp.start(props)) {
                version = app.bean(Recognizer.class).active().modelVersion();
            }
            long t0 = System.nanoTime();
            insert(pg, n, version);
            System.out.printf("inserted %d employees with one sample each in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
            if (Boolean.getBoolean("faceroster.measure.after-switch")) {
                // as after a promotion: another version active, its embeddings kept beside the samples' own
                var jdbc = new org.springframework.jdbc.core.JdbcTemplate(pg.getPostgresDatabase());
                String other = jdbc.queryForObject("SELECT version FROM model_version WHERE version <> ? "
                        + "ORDER BY version LIMIT 1", String.class, version);
                jdbc.update("INSERT INTO face_embedding (face_id, model_version, embedding) "
                        + "SELECT id, ?, embedding FROM face_sample", other);
                jdbc.update("UPDATE model_active SET version = ?", other);
                jdbc.execute("ANALYZE");
                System.out.printf("kept %d embeddings of %s beside the samples' own (%s) and made it active%n", n,
                        other, version);
            }
            Runtime rt = Runtime.getRuntime();
            System.gc();
            long heapBefore = rt.totalMemory() - rt.freeMemory();
            long start = System.nanoTime();
            try (RunningApp app = RunningApp.start(props)) {
                double seconds = (System.nanoTime() - start) / 1e9;
                SupportSet set = app.bean(Recognizer.class).active().supportSet();
                System.gc();
                long heap = rt.totalMemory() - rt.freeMemory() - heapBefore;
                System.out.printf("replica ready with %d samples (%d employees) in %.1f s; heap of the replica "
                                + "%.0f MB (%.0f bytes per sample); matching index %.0f bytes per sample on the heap, "
                                + "float file %.0f bytes per sample; %s%n",
                        set.shotCount(), set.employeeCount(), seconds, heap / 1e6, (double) heap / set.shotCount(),
                        (double) set.indexBytes() / set.shotCount(), (double) set.floatFileBytes() / set.shotCount(),
                        ResidentMemory.describe());
            }
        }
    }

    static void insert(EmbeddedPostgres pg, int n, String version) throws Exception {
        Random rng = new Random(1);
        try (Connection c = pg.getPostgresDatabase().getConnection()) {
            c.setAutoCommit(false);
            Timestamp now = Timestamp.from(Instant.now());
            try (PreparedStatement e = c.prepareStatement("insert into employee (id, employee_id, display_name, "
                    + "created_at, updated_at) overriding system value values (?, ?, ?, ?, ?)");
                 PreparedStatement f = c.prepareStatement("insert into face_sample (id, employee_pk, crop_png, "
                         + "embedding, model_version, created_at) values (?, ?, ?, ?, ?, ?)")) {
                for (int i = 1; i <= n; i++) {
                    e.setLong(1, i);
                    e.setString(2, "emp" + i);
                    e.setString(3, "Employee " + i);
                    e.setTimestamp(4, now);
                    e.setTimestamp(5, now);
                    e.addBatch();
                    f.setObject(1, UUID.randomUUID());
                    f.setLong(2, i);
                    f.setBytes(3, new byte[] {1});
                    ByteBuffer b = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
                    b.asFloatBuffer().put(IdentifyBenchmark.randomUnit(rng, 128));
                    f.setBytes(4, b.array());
                    f.setString(5, version);
                    f.setTimestamp(6, now);
                    f.addBatch();
                    if (i % 5000 == 0 || i == n) {
                        e.executeBatch();
                        f.executeBatch();
                        c.commit();
                    }
                }
            }
        }
    }
}
