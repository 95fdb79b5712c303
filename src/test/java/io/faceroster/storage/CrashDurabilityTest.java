package io.faceroster.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.faceroster.testsupport.ApiClient;
import io.faceroster.testsupport.ForkedApp;
import io.faceroster.testsupport.TestImages;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 3: a forked service on the default H2 URL (its working directory holds {@code ./data}) is killed
 * with SIGKILL right after the 201 of an enrolment and, after a restart, right after the 200 of an erasure; each
 * restart on the same database file finds the acknowledged change, and the audit trail holds both events.
 */
class CrashDurabilityTest {

    @TempDir
    Path dir;

    private ForkedApp start(int run) throws Exception {
        return ForkedApp.start(List.of("-Xmx768m"), Map.of(), dir.resolve("service-" + run + ".log"), dir);
    }

    @Test
    void acknowledgedEnrolmentAndErasureSurviveKillMinus9() throws Exception {
        ForkedApp first = start(1);
        int enrolled;
        try {
            ApiClient admin = first.api();
            assertThat(admin.createEmployee("crash", "Crash Test").status()).isEqualTo(201);
            var enrol = first.api(ApiClient.ENROLL_KEY).multipart("/api/v1/employees/crash/faces?detect=false",
                    List.of(ApiClient.Part.image("a.png", TestImages.face(1, 1)),
                            ApiClient.Part.image("b.png", TestImages.face(1, 2)),
                            ApiClient.Part.image("c.png", TestImages.face(1, 3))));
            assertThat(enrol.status()).as(enrol.text()).isEqualTo(201);
            enrolled = enrol.json().path("faces").size();
            assertThat(enrolled).isEqualTo(3);
        } finally {
            first.kill();
        }

        ForkedApp second = start(2);
        try {
            var faces = second.api().get("/api/v1/employees/crash/faces");
            assertThat(faces.status()).isEqualTo(200);
            assertThat(faceCount(faces)).as("faces after the kill that followed the 201").isEqualTo(enrolled);
            var erase = second.api().delete("/api/v1/employees/crash");
            assertThat(erase.status()).as(erase.text()).isEqualTo(200);
        } finally {
            second.kill();
        }

        try (ForkedApp third = start(3)) {
            assertThat(third.api().get("/api/v1/employees/crash").status())
                    .as("the erased employee after the kill that followed the 200").isEqualTo(404);
            String trail = third.api().get("/api/v1/admin/audit?employeeId=crash&size=100").text();
            assertThat(trail).contains("employee_delete").contains("enrol");
        }
    }

    private static int faceCount(ApiClient.Response faces) {
        return faces.json().path("faces").size();
    }
}
