package io.faceroster.security;

import static org.assertj.core.api.Assertions.assertThat;
import static io.faceroster.testsupport.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faceroster.testsupport.ApiClient;
import io.faceroster.testsupport.RunningApp;
import io.faceroster.testsupport.TestImages;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** API keys, roles, open and closed paths, rate limits, generated keys and the configured-keys switch. */
@ExtendWith(OutputCaptureExtension.class)
class SecurityApiTest {

    @Test
    void keysAndRolesDecideWhoMayDoWhat(CapturedOutput output) {
        try (RunningApp app = RunningApp.start(Map.of("spring.datasource.url", "jdbc:h2:mem:security-roles"))) {
            ApiClient none = new ApiClient(app.port(), null);
            ApiClient wrong = new ApiClient(app.port(), "not-a-key-of-this-service-at-all");
            ApiClient admin = app.api();
            ApiClient hr = new ApiClient(app.port(), ApiClient.ENROLL_KEY);
            ApiClient door = new ApiClient(app.port(), ApiClient.IDENTIFY_KEY);   // configured by its SHA-256

            var missing = none.get("/api/v1/employees");
            assertProblem(missing, 401, "api_key_missing");
            assertThat(missing.header("WWW-Authenticate")).contains("X-API-Key");
            assertProblem(wrong.get("/api/v1/employees"), 401, "api_key_invalid");
            assertProblem(none.image("/api/v1/identify", "q.png", TestImages.face(1, 1)), 401, "api_key_missing");

            // enroll: employees and faces, nothing else.
            assertThat(hr.createEmployee("sec-1", "S").status())
                    .isEqualTo(201);
            assertThat(hr.image("/api/v1/employees/sec-1/faces?detect=false", "f.png", TestImages.face(1, 1)).status())
                    .isEqualTo(201);
            var forbidden = hr.image("/api/v1/identify?detect=false", "q.png", TestImages.face(1, 2));
            assertProblem(forbidden, 403, "role_missing");
            assertThat(forbidden.json().get("requiredRole").asString()).isEqualTo("identify");
            assertProblem(hr.image("/api/v1/employees/sec-1/verify?detect=false", "q.png", TestImages.face(1, 2)),
                    403, "role_missing");
            assertProblem(hr.get("/api/v1/admin/models"), 403, "role_missing");
            // ... also when the verify path is dressed up with path parameters or percent-encoding.
            for (String verify : List.of("/api/v1/employees/sec-1/verify;a=b?detect=false",
                    "/api/v1/employees/sec-1/%76erify?detect=false", "/api/v1/employees/sec-1;x=y/verify?detect=false")) {
                var r = hr.image(verify, "q.png", TestImages.face(1, 2));
                assertThat(r.status()).as(verify + ": " + r.text()).isIn(400, 403, 404);
            }

            // identify: identify and verify, nothing else.
            assertThat(door.image("/api/v1/identify?detect=false", "q.png", TestImages.face(1, 2)).status())
                    .isEqualTo(200);
            assertThat(door.image("/api/v1/employees/sec-1/verify?detect=false", "q.png", TestImages.face(1, 2))
                    .status()).isEqualTo(200);
            assertProblem(door.get("/api/v1/employees"), 403, "role_missing");
            assertProblem(door.delete("/api/v1/employees/sec-1"), 403, "role_missing");
            assertProblem(door.get("/api/v1/admin/audit"), 403, "role_missing");
            assertThat(door.get("/api/v1/model").status()).isEqualTo(200);

            // admin: everything, Actuator beyond health included; health stays open.
            assertThat(admin.get("/api/v1/admin/models").status()).isEqualTo(200);
            var listed = admin.get("/api/v1/admin/api-keys");
            assertThat(listed.json().get("source").asString()).isEqualTo("configuration");
            assertThat(listed.json().get("keys").toString()).contains("test-hr").contains("enroll")
                    .doesNotContain(ApiClient.ENROLL_KEY).doesNotContain("sha256");
            assertProblem(hr.get("/api/v1/admin/api-keys"), 403, "role_missing");
            assertThat(admin.get("/api/v1/employees").status()).isEqualTo(200);
            assertThat(none.get("/actuator/health").status()).isEqualTo(200);
            assertThat(none.get("/actuator/health/readiness").status()).isEqualTo(200);
            assertProblem(none.get("/actuator/prometheus"), 401, "api_key_missing");
            assertProblem(hr.get("/actuator/metrics"), 403, "role_missing");
            assertThat(admin.get("/actuator/prometheus").status()).isEqualTo(200);

            // Paths are judged as the container dispatches them: dot segments, path parameters, encodings.
            for (String sneaky : List.of("/api/v1/employees/../admin/models", "/api/v1/employees/%2E%2E/admin/models",
                    "/api/v1/employees/x/../../admin/models", "/api/v1/admin/models;jsessionid=1",
                    "/api/v1/employees;x=1/../admin/models", "/api/v1/employees/%2e%2e%2fadmin/models")) {
                int status = rawGet(app.port(), sneaky, ApiClient.ENROLL_KEY);
                assertThat(status).as(sneaky).isIn(400, 403, 404);
            }
            // (Not even the admin key: a path not in normal form is refused before access is judged, issue 10 item 9.)
            assertThat(rawGet(app.port(), "/api/v1/employees/../admin/models", ApiClient.ADMIN_KEY)).isEqualTo(400);

            // Every answer carries a request id.
            assertThat(admin.get("/api/v1/model").header("X-Request-Id")).isNotBlank();
        }
        // Keys never reach the log; key ids may.
        assertThat(output.getAll()).doesNotContain(ApiClient.ADMIN_KEY).doesNotContain(ApiClient.ENROLL_KEY)
                .doesNotContain(ApiClient.IDENTIFY_KEY).doesNotContain("not-a-key-of-this-service-at-all");
    }

    /** A GET sent byte for byte as written (no client-side normalisation); returns the status code. */
    static int rawGet(int port, String path, String key) {
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + key
                    + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void eachKeyHasItsOwnRateLimit() {
        try (RunningApp app = RunningApp.start(Map.of("spring.datasource.url", "jdbc:h2:mem:security-rate",
                "faceroster.security.rate-limit.requests-per-minute", "30",
                "faceroster.security.rate-limit.burst", "5"))) {
            ApiClient admin = app.api();
            for (int i = 0; i < 5; i++) {
                assertThat(admin.get("/api/v1/model").status()).isEqualTo(200);
            }
            var limited = admin.get("/api/v1/model");
            assertProblem(limited, 429, "rate_limited");
            assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 2);
            // Another key has its own bucket; health is not limited.
            assertThat(new ApiClient(app.port(), ApiClient.ENROLL_KEY).get("/api/v1/employees").status()).isEqualTo(200);
            assertThat(new ApiClient(app.port(), null).get("/actuator/health").status()).isEqualTo(200);
        }
    }

    /** Only the main application.properties: no test keys. */
    static Map<String, String> withoutTestKeys(Path dir) {
        Map<String, String> props = new HashMap<>();
        props.put("spring.config.location", "classpath:/application.properties");
        props.put("spring.datasource.url", "jdbc:h2:file:" + dir.resolve("db"));
        return props;
    }

    @Test
    void withoutConfiguredKeysOnePerRoleIsGeneratedOnceAndLoggedOnce(@TempDir Path dir, CapturedOutput output) {
        Map<String, String> keys = new HashMap<>();
        try (RunningApp app = RunningApp.start(withoutTestKeys(dir))) {
            Matcher m = Pattern.compile("generated-(enroll|identify|admin) \\(\\w+\\): (fr_[A-Za-z0-9_-]+)")
                    .matcher(output.getAll());
            while (m.find()) {
                keys.put(m.group(1), m.group(2));
            }
            assertThat(keys).containsOnlyKeys("enroll", "identify", "admin");
            assertProblem(app.api().get("/api/v1/employees"), 401, "api_key_invalid");   // no test keys here
            assertThat(new ApiClient(app.port(), keys.get("enroll")).get("/api/v1/employees").status()).isEqualTo(200);
            assertProblem(new ApiClient(app.port(), keys.get("identify")).get("/api/v1/employees"), 403, "role_missing");
        }
        int logged = output.getAll().split("generated-admin \\(admin\\): fr_", -1).length - 1;
        assertThat(logged).isEqualTo(1);
        try (RunningApp app = RunningApp.start(withoutTestKeys(dir))) {
            // The same keys after a restart, and not logged again.
            assertThat(new ApiClient(app.port(), keys.get("admin")).get("/api/v1/admin/models").status()).isEqualTo(200);
            assertThat(output.getAll().split("generated-admin \\(admin\\): fr_", -1).length - 1).isEqualTo(1);
        }
    }

    @Test
    void requireConfiguredKeysRefusesToStartWithoutThem(@TempDir Path dir) {
        Map<String, String> props = withoutTestKeys(dir);
        props.put("faceroster.security.require-configured-keys", "true");
        assertThatThrownBy(() -> RunningApp.start(props).close())
                .hasStackTraceContaining("require-configured-keys is true but no faceroster.security.api-keys");
    }

    @Test
    void weakOrMalformedKeyConfigurationIsRefused(@TempDir Path dir) {
        Map<String, String> props = withoutTestKeys(dir);
        props.put("faceroster.security.api-keys[0].id", "short");
        props.put("faceroster.security.api-keys[0].key", "1234");
        props.put("faceroster.security.api-keys[0].roles", "admin");
        assertThatThrownBy(() -> RunningApp.start(props).close()).hasStackTraceContaining("shorter than 20 characters");
        props.put("faceroster.security.api-keys[0].key", "a-long-enough-key-for-the-check");
        props.put("faceroster.security.api-keys[0].roles", "superuser");
        assertThatThrownBy(() -> RunningApp.start(props).close()).hasStackTraceContaining("unknown role 'superuser'");
        props.put("faceroster.security.api-keys[0].roles", "admin");
        props.put("faceroster.security.api-keys[0].id", "system");
        assertThatThrownBy(() -> RunningApp.start(props).close()).hasStackTraceContaining("'system' is reserved");
        props.put("faceroster.security.api-keys[0].id", "x".repeat(65));
        assertThatThrownBy(() -> RunningApp.start(props).close()).hasStackTraceContaining("1-64 characters");
    }
}
