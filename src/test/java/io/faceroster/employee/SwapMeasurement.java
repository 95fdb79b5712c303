package io.faceroster.employee;

import io.faceroster.identify.Recognizer;
import io.faceroster.testsupport.RunningApp;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Not a test: how long the pointer flip's transaction takes to swap N staged embeddings into the face samples
 * ({@link KeptEmbeddings#swapIn}) on an embedded PostgreSQL 16, the time writers wait at a promotion's end. Run with
 * {@code -Dfaceroster.measure.swap-samples=1000000}.
 */
class SwapMeasurement {

    @Test
    @EnabledIfSystemProperty(named = "faceroster.measure.swap-samples", matches = "\\d+")
    void swapStagedEmbeddingsIn() throws Exception {
        int n = Integer.parseInt(System.getProperty("faceroster.measure.swap-samples"));
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            Map<String, String> props = Map.of("spring.datasource.url", pg.getJdbcUrl("postgres", "postgres")
                            + "&reWriteBatchedInserts=true", "spring.datasource.username", "postgres",
                    "spring.datasource.password", "postgres", "logging.level.root", "WARN");
            String version;
            try (RunningApp app = RunningApp.start(props)) {
                version = app.bean(Recognizer.class).active().modelVersion();
            }
            StartupMeasurement.insert(pg, n, version);
            JdbcTemplate jdbc = new JdbcTemplate(pg.getPostgresDatabase());
            jdbc.update("INSERT INTO face_embedding (face_id, model_version, embedding) "
                    + "SELECT id, 'staged', embedding FROM face_sample");
            jdbc.execute("ANALYZE");
            TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(pg.getPostgresDatabase()));
            KeptEmbeddings kept = new KeptEmbeddings(jdbc, null);   // the swap moves sealed bytes as they are
            for (String target : new String[] {"staged", version}) {
                long t0 = System.nanoTime();
                Integer swapped = tx.execute(status -> kept.swapIn(target));
                System.out.printf("swapped %d face samples to %s in %.1f s (one transaction)%n", swapped, target,
                        (System.nanoTime() - t0) / 1e9);
            }
        }
    }
}
