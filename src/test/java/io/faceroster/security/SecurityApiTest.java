package io.faceroster.security;

import static org.assertj.core.api.Assertions.assertThat;
import static io.faceroster.testsupport.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faceroster.testsupport.ApiClient;
import io.faceroster.testsupport.RunningApp;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Rate limits, generated keys and the configured-keys switch (who may do what: {@link RolesApiTest}). */
@ExtendWith(OutputCaptureExtension.class)
class SecurityApiTest {

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
