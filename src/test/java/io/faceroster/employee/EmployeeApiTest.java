package io.faceroster.employee;

import static org.assertj.core.api.Assertions.assertThat;

import io.faceroster.testsupport.ApiClient.Part;
import io.faceroster.testsupport.ApiClient;
import io.faceroster.testsupport.TestImages;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The HTTP contract of employees, faces, identify and verify, against the real engine and the shipped model. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:employee-api;DB_CLOSE_DELAY=-1")
class EmployeeApiTest {

    @LocalServerPort
    int port;
    ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    private void create(String id, String name) {
        var r = api.createEmployee(id, name);
        assertThat(r.status()).isEqualTo(201);
    }

    @Test
    void createGetRenameListAndDelete() {
        var created = api.postJson("/api/v1/employees", "{\"employeeId\":\"crud-1\",\"displayName\":\"Grace Hopper\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("employeeId").asString()).isEqualTo("crud-1");

        var again = api.postJson("/api/v1/employees", "{\"employeeId\":\"crud-1\",\"displayName\":\"Other\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
        assertThat(again.json().get("code").asString()).isEqualTo("employee_exists");

        var renamed = api.patchJson("/api/v1/employees/crud-1", "{\"displayName\":\"Rear Admiral Hopper\"}");
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(api.get("/api/v1/employees/crud-1").json().get("displayName").asString())
                .isEqualTo("Rear Admiral Hopper");

        JsonNode page = api.get("/api/v1/employees?page=0&size=100").json();
        assertThat(page.get("total").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(page.get("items").toString()).contains("crud-1");

        var receipt = api.delete("/api/v1/employees/crud-1");
        assertThat(receipt.status()).isEqualTo(200);
        assertThat(receipt.json().get("employeeId").asString()).isEqualTo("crud-1");
        // The bodiless form of the same erasure, for clients that want only the status.
        api.createEmployee("crud-2", "Minimal");
        var minimal = api.send("DELETE", "/api/v1/employees/crud-2", "Prefer", "return=minimal");
        assertThat(minimal.status()).isEqualTo(204);
        assertThat(minimal.body()).isEmpty();
        assertThat(api.get("/api/v1/employees/crud-2").status()).isEqualTo(404);
        var gone = api.get("/api/v1/employees/crud-1");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().get("code").asString()).isEqualTo("employee_not_found");
    }

    @Test
    void enrolIdentifyVerifyAndDeleteFaces() {
        create("flow-a", "Alice");
        create("flow-b", "Bob");
        var enrolled = api.multipart("/api/v1/employees/flow-a/faces?detect=false", List.of(
                Part.image("a0.png", TestImages.face(1, 0)), Part.image("a1.png", TestImages.face(1, 1)),
                Part.image("a2.png", TestImages.face(1, 2))));
        assertThat(enrolled.status()).isEqualTo(201);
        assertThat(enrolled.json().get("faces")).hasSize(3);
        String faceId = enrolled.json().get("faces").get(0).get("faceId").asString();
        assertThat(api.multipart("/api/v1/employees/flow-b/faces?detect=false", List.of(
                Part.image("b0.png", TestImages.face(2, 0)), Part.image("b1.png", TestImages.face(2, 1)))).status())
                .isEqualTo(201);

        var identify = api.image("/api/v1/identify?candidates=2&threshold=100&detect=false", "q.png", TestImages.face(1, 5));
        assertThat(identify.status()).isEqualTo(200);
        JsonNode body = identify.json();
        assertThat(body.get("candidates")).hasSize(2);
        assertThat(body.get("candidates").get(0).get("distance").asDouble())
                .isLessThanOrEqualTo(body.get("candidates").get(1).get("distance").asDouble());
        assertThat(body.get("match").get("employeeId").asString())
                .isEqualTo(body.get("candidates").get(0).get("employeeId").asString());
        assertThat(body.get("threshold").asDouble()).isEqualTo(100.0);
        assertThat(body.get("modelVersion").asString()).isEqualTo(api.get("/api/v1/model").json().get("version").asString());
        assertThat(body.has("tookMs")).isTrue();

        var strict = api.image("/api/v1/identify?threshold=0&detect=false", "q.png", TestImages.face(1, 5)).json();
        assertThat(strict.get("match").isNull()).isTrue();
        assertThat(strict.get("candidates").size()).isPositive();

        // Verify at the threshold in force: its answer is the comparison, and another person's face is farther.
        var verify = api.image("/api/v1/employees/flow-a/verify?detect=false", "q.png", TestImages.face(1, 6));
        assertThat(verify.status()).isEqualTo(200);
        double own = verify.json().get("distance").asDouble();
        assertThat(verify.json().get("match").asBoolean()).isEqualTo(own <= verify.json().get("threshold").asDouble());
        var other = api.image("/api/v1/employees/flow-a/verify?detect=false", "q.png", TestImages.face(2, 6)).json();
        assertThat(other.get("distance").asDouble()).isGreaterThan(own);
        assertThat(other.get("match").asBoolean()).isEqualTo(other.get("distance").asDouble() <= other.get("threshold").asDouble());

        assertThat(api.get("/api/v1/employees/flow-a/faces").json().get("faces")).hasSize(3);
        var png = api.get("/api/v1/employees/flow-a/faces/" + faceId + "/image");
        assertThat(png.status()).isEqualTo(200);
        assertThat(png.contentType()).isEqualTo("image/png");
        assertThat(png.body()).startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G'});

        assertThat(api.delete("/api/v1/employees/flow-a/faces/" + faceId).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/employees/flow-a/faces").json().get("faces")).hasSize(2);
        assertThat(api.delete("/api/v1/employees/flow-a/faces/" + faceId).json().get("code").asString())
                .isEqualTo("face_not_found");

        assertThat(api.delete("/api/v1/employees/flow-a").status()).isEqualTo(200);
        var afterDelete = api.image("/api/v1/identify?threshold=100&candidates=20&detect=false", "q.png", TestImages.face(1, 5)).json();
        assertThat(afterDelete.get("candidates").toString()).doesNotContain("flow-a");
    }

    @Test
    void modelEndpointDescribesTheActiveModel() {
        JsonNode m = api.get("/api/v1/model").json();
        assertThat(m.get("version").asString()).isNotBlank();
        assertThat(m.get("embeddingDimension").asInt()).isPositive();
        assertThat(m.get("threshold").asDouble()).isPositive();
        assertThat(m.get("architecture").asString()).isNotBlank();
    }

    @Test
    void openApiDocumentListsTheEndpoints() {
        var doc = api.get("/v3/api-docs");
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.json().get("paths").has("/api/v1/identify")).isTrue();
        assertThat(doc.json().get("paths").has("/api/v1/employees/{employeeId}/faces")).isTrue();
        assertThat(doc.json().get("components").get("securitySchemes").get("apiKey").get("name").asString())
                .isEqualTo("X-API-Key");
        assertThat(doc.json().get("components").get("schemas").has("AllFacesResponse")).isTrue();
    }

    @Test
    void healthIsUpWithTheModelAndMetricsArePrometheus() {
        // Open without a key: component statuses, no details (no model version, no counts).
        var health = new ApiClient(port, null).get("/actuator/health/readiness");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("components").get("model").get("status").asString()).isEqualTo("UP");
        assertThat(health.text()).doesNotContain("faceroster-v1").doesNotContain("details");
        api.image("/api/v1/identify?detect=false", "q.png", TestImages.face(3, 0));
        var prometheus = api.get("/actuator/prometheus");
        assertThat(prometheus.status()).isEqualTo(200);
        assertThat(prometheus.text()).contains("faceroster_identify_seconds");
    }
}
