package io.faceroster.security;

import static io.faceroster.testsupport.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.faceroster.testsupport.ApiClient;
import io.faceroster.testsupport.RunningApp;
import io.faceroster.testsupport.TestImages;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Keys and roles decide who may do what: one service for the class, one role (or one kind of refusal) per test.
 * The test keys: {@code test-admin}, {@code test-hr} (enroll), {@code test-door} (identify, configured by its hash).
 */
@ExtendWith(OutputCaptureExtension.class)
class RolesApiTest {

    private static RunningApp app;
    private static ApiClient none;
    private static ApiClient admin;
    private static ApiClient hr;
    private static ApiClient door;

    @BeforeAll
    static void start() {
        app = RunningApp.start(Map.of("spring.datasource.url", "jdbc:h2:mem:security-roles"));
        none = new ApiClient(app.port(), null);
        admin = app.api();
        hr = new ApiClient(app.port(), ApiClient.ENROLL_KEY);
        door = new ApiClient(app.port(), ApiClient.IDENTIFY_KEY);
        assertThat(hr.createEmployee("sec-1", "S").status()).isEqualTo(201);
        assertThat(hr.image("/api/v1/employees/sec-1/faces?detect=false", "f.png", TestImages.face(1, 1)).status())
                .isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aMissingOrUnknownKeyIsRefusedWith401() {
        var missing = none.get("/api/v1/employees");
        assertProblem(missing, 401, "api_key_missing");
        assertThat(missing.header("WWW-Authenticate")).contains("X-API-Key");
        assertProblem(new ApiClient(app.port(), "not-a-key-of-this-service-at-all").get("/api/v1/employees"), 401,
                "api_key_invalid");
        assertProblem(none.image("/api/v1/identify", "q.png", TestImages.face(1, 1)), 401, "api_key_missing");
    }

    @Test
    void theEnrollRoleManagesEmployeesAndFacesAndNothingElse() {
        assertThat(hr.get("/api/v1/employees/sec-1/faces").status()).isEqualTo(200);
        var forbidden = hr.image("/api/v1/identify?detect=false", "q.png", TestImages.face(1, 2));
        assertProblem(forbidden, 403, "role_missing");
        assertThat(forbidden.json().get("requiredRole").asString()).isEqualTo("identify");
        assertProblem(hr.image("/api/v1/employees/sec-1/verify?detect=false", "q.png", TestImages.face(1, 2)),
                403, "role_missing");
        assertProblem(hr.get("/api/v1/admin/models"), 403, "role_missing");
        assertProblem(hr.get("/api/v1/admin/api-keys"), 403, "role_missing");
        assertProblem(hr.get("/actuator/metrics"), 403, "role_missing");
        assertThat(hr.get("/api/v1/admin/imports").status()).as("bulk import is HR's too").isEqualTo(200);
    }

    @Test
    void verifyDressedUpWithPathParametersOrEncodingIsStillNotEnrollWork() {
        for (String verify : List.of("/api/v1/employees/sec-1/verify;a=b?detect=false",
                "/api/v1/employees/sec-1/%76erify?detect=false", "/api/v1/employees/sec-1;x=y/verify?detect=false")) {
            var r = hr.image(verify, "q.png", TestImages.face(1, 2));
            assertThat(r.status()).as(verify + ": " + r.text()).isIn(400, 403, 404);
        }
    }

    @Test
    void theIdentifyRoleIdentifiesAndVerifiesAndNothingElse() {
        assertThat(door.image("/api/v1/identify?detect=false", "q.png", TestImages.face(1, 2)).status())
                .isEqualTo(200);
        assertThat(door.image("/api/v1/employees/sec-1/verify?detect=false", "q.png", TestImages.face(1, 2))
                .status()).isEqualTo(200);
        assertProblem(door.get("/api/v1/employees"), 403, "role_missing");
        assertProblem(door.delete("/api/v1/employees/sec-1"), 403, "role_missing");
        assertProblem(door.get("/api/v1/admin/audit"), 403, "role_missing");
        assertProblem(door.get("/api/v1/admin/imports"), 403, "role_missing");
        assertThat(door.get("/api/v1/model").status()).isEqualTo(200);
    }

    @Test
    void theAdminRoleMayDoEverythingAndSeesKeyIdsNeverKeys() {
        assertThat(admin.get("/api/v1/admin/models").status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/employees").status()).isEqualTo(200);
        assertThat(admin.get("/actuator/prometheus").status()).isEqualTo(200);
        var listed = admin.get("/api/v1/admin/api-keys");
        assertThat(listed.json().get("source").asString()).isEqualTo("configuration");
        assertThat(listed.json().get("keys").toString()).contains("test-hr").contains("enroll")
                .doesNotContain(ApiClient.ENROLL_KEY).doesNotContain("sha256");
    }

    @Test
    void healthIsOpenAndTheRestOfActuatorIsNot() {
        assertThat(none.get("/actuator/health").status()).isEqualTo(200);
        assertThat(none.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertProblem(none.get("/actuator/prometheus"), 401, "api_key_missing");
    }

    @Test
    void pathsAreJudgedAsTheContainerDispatchesThem() {
        for (String sneaky : List.of("/api/v1/employees/../admin/models", "/api/v1/employees/%2E%2E/admin/models",
                "/api/v1/employees/x/../../admin/models", "/api/v1/admin/models;jsessionid=1",
                "/api/v1/employees;x=1/../admin/models", "/api/v1/employees/%2e%2e%2fadmin/models")) {
            assertThat(SecurityApiTest.rawGet(app.port(), sneaky, ApiClient.ENROLL_KEY)).as(sneaky).isIn(400, 403, 404);
        }
        // Not even the admin key: a path not in normal form is refused before access is judged (issue 10 item 9).
        assertThat(SecurityApiTest.rawGet(app.port(), "/api/v1/employees/../admin/models", ApiClient.ADMIN_KEY))
                .isEqualTo(400);
    }

    @Test
    void everyAnswerCarriesARequestIdAndNoKeyReachesTheLog(CapturedOutput output) {
        assertThat(admin.get("/api/v1/model").header("X-Request-Id")).isNotBlank();
        new ApiClient(app.port(), "not-a-key-of-this-service-at-all").get("/api/v1/employees");
        hr.get("/api/v1/admin/models");
        door.get("/api/v1/employees");
        assertThat(output.getAll()).doesNotContain(ApiClient.ADMIN_KEY).doesNotContain(ApiClient.ENROLL_KEY)
                .doesNotContain(ApiClient.IDENTIFY_KEY).doesNotContain("not-a-key-of-this-service-at-all");
    }
}
