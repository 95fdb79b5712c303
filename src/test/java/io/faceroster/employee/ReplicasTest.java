package io.faceroster.employee;

import static org.assertj.core.api.Assertions.assertThat;

import io.faceroster.evaluation.Statistics;
import io.faceroster.identify.Recognizer;
import io.faceroster.identify.SupportSet;
import io.faceroster.replication.ChangeLog;
import io.faceroster.testsupport.ApiClient.Part;
import io.faceroster.testsupport.DirectSamples;
import io.faceroster.testsupport.Eventually;
import io.faceroster.testsupport.RunningApp;
import io.faceroster.testsupport.TestImages;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Replicas on one PostgreSQL (issue 14): two services A and B on one embedded PostgreSQL 16 follow each other's
 * changes through the change log; a third, started late and without LISTEN, catches up and follows by polling.
 */
class ReplicasTest {

    private static final Duration LIMIT = Duration.ofSeconds(15);

    private static EmbeddedPostgres pg;
    private static RunningApp a;
    private static RunningApp b;
    private static DataSource db;
    private static String version;

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgres.builder().start();
        db = pg.getPostgresDatabase();
        a = RunningApp.start(props("A", true));
        b = RunningApp.start(props("B", true));
        version = a.bean(Recognizer.class).active().modelVersion();
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {b, a, pg}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static Map<String, String> props(String replica, boolean listen) {
        Map<String, String> p = new HashMap<>(Map.of(
                "spring.datasource.url", pg.getJdbcUrl("postgres", "postgres"),
                "spring.datasource.username", "postgres",
                "spring.datasource.password", "postgres",
                "faceroster.replication.replica-id", replica,
                "faceroster.replication.listen", Boolean.toString(listen)));
        return p;
    }

    private static SupportSet supportSet(RunningApp app) {
        return app.bean(Recognizer.class).active().supportSet();
    }

    private static boolean knows(RunningApp app, String employeeId) {
        return supportSet(app).distanceTo(employeeId, new float[128]).isPresent();
    }

    @Test
    void enrolmentOnAIsIdentifiedOnB() {
        assertThat(a.api().createEmployee("rep1", "Replicated One").status()).isEqualTo(201);
        var r = a.api().multipart("/api/v1/employees/rep1/faces", List.of(
                Part.image("0.jpg", TestImages.photo(1, 0)), Part.image("1.jpg", TestImages.photo(1, 1))));
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        Eventually.within(LIMIT, "B knows rep1", () -> knows(b, "rep1"));
        var id = b.api().image("/api/v1/identify?threshold=100", "q.jpg", TestImages.photo(1, 7));
        assertThat(id.json().get("candidates").get(0).get("employeeId").asString()).isEqualTo("rep1");
    }

    @Test
    void erasureOnBStopsMatchingOnAAndTheReceiptNamesA() throws Exception {
        DirectSamples.enrol(db, "rep2", version, DirectSamples.unit(new Random(2)));
        Eventually.within(LIMIT, "A and B know rep2", () -> knows(a, "rep2") && knows(b, "rep2"));
        var receipt = b.api().delete("/api/v1/employees/rep2");
        assertThat(receipt.status()).as(receipt.text()).isEqualTo(200);
        assertThat(receipt.json().get("alsoRemovedFrom").toString()).contains("replica A");
        Eventually.within(LIMIT, "A forgets rep2", () -> !knows(a, "rep2"));
    }

    @Test
    void aReplicaStartedAfterAThousandEnrolmentsCatchesUpAndFollowsByPollingAlone() throws Exception {
        Random rng = new Random(3);
        for (int i = 0; i < 1000; i++) {
            DirectSamples.enrol(db, "bulk" + i, version, DirectSamples.unit(rng));
        }
        Eventually.within(LIMIT, "B applied the thousand", () -> knows(b, "bulk999"));
        try (RunningApp late = RunningApp.start(props("C", false))) {
            assertThat(knows(late, "bulk0") && knows(late, "bulk999")).isTrue();
            DirectSamples.enrol(db, "afterC", version, DirectSamples.unit(rng));
            Eventually.within(LIMIT, "C (no LISTEN) polls afterC", () -> knows(late, "afterC"));
            assertThat(supportSet(late).employeeCount()).isEqualTo(supportSet(a).employeeCount());
        }
    }

    @Test
    void pruningWaitsForALiveReplicaThatHasNotAppliedTheChanges() throws Exception {
        JdbcTemplate jdbc = new JdbcTemplate(db);
        ChangeLog log = a.bean(ChangeLog.class);
        long before = log.latest();
        jdbc.update("insert into replica (replica_id, applied_change, started_at, heartbeat_at) "
                + "values ('straggler', ?, current_timestamp, current_timestamp)", before);
        try {
            Random rng = new Random(4);
            for (int i = 0; i < 5; i++) {
                DirectSamples.enrol(db, "prune" + i, version, DirectSamples.unit(rng));
            }
            Eventually.within(LIMIT, "A and B applied", () -> knows(a, "prune4") && knows(b, "prune4"));
            log.prune(java.time.Instant.now().minusSeconds(30));
            assertThat(jdbc.queryForObject("select count(*) from support_set_change where id > ?", Integer.class,
                    before)).isEqualTo(5);
            jdbc.update("update replica set applied_change = ? where replica_id = 'straggler'", log.latest());
            log.prune(java.time.Instant.now().minusSeconds(30));
            assertThat(jdbc.queryForObject("select count(*) from support_set_change where id > ?", Integer.class,
                    before)).isZero();
        } finally {
            jdbc.update("delete from replica where replica_id = 'straggler'");
        }
    }

    /**
     * Commit-to-visibility on B over 1,000 enrolments committed one after another (not a test: prints the median
     * and p99; run with {@code -Dfaceroster.measure=true}).
     */
    @Test
    @EnabledIfSystemProperty(named = "faceroster.measure", matches = "true")
    void measureCommitToVisibility() throws Exception {
        Random rng = new Random(5);
        double[] ms = new double[1000];
        for (int i = 0; i < ms.length; i++) {
            String id = "latency" + i;
            long committed = DirectSamples.enrol(db, id, version, DirectSamples.unit(rng));
            while (!knows(b, id)) {
                Thread.onSpinWait();
            }
            ms[i] = (System.nanoTime() - committed) / 1e6;
        }
        System.out.printf("commit-to-visibility on B over %d enrolments: median %.2f ms, p99 %.2f ms, max %.2f ms%n",
                ms.length, Statistics.percentile(ms, 50), Statistics.percentile(ms, 99), Statistics.percentile(ms, 100));
    }
}
