package io.faceroster.gallery;

import static io.faceroster.testsupport.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.faceroster.testsupport.ApiClient;
import io.faceroster.testsupport.Galleries;
import io.faceroster.testsupport.TestImages;
import java.io.ByteArrayInputStream;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.w3c.dom.Document;
import tools.jackson.databind.JsonNode;

/** The calibration API round trip on a generated gallery of 25 employees x 3 faces, with the shipped model. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:calibration-api;DB_CLOSE_DELAY=-1")
class CalibrationApiTest {

    private static final int EMPLOYEES = 25;
    private static boolean enrolled;

    @LocalServerPort
    int port;
    ApiClient api;

    @BeforeEach
    void gallery() {
        api = new ApiClient(port);
        if (!enrolled) {
            Galleries.enrolClean(api, "c", 300, EMPLOYEES, 3);
            enrolled = true;
        }
        assertThat(api.delete("/api/v1/admin/calibration").status()).isEqualTo(200);
    }

    private static JsonNode figures(JsonNode report, String name) {
        for (JsonNode f : report.get("thresholds")) {
            if (f.get("name").asString().equals(name)) {
                return f;
            }
        }
        throw new AssertionError("no figures named " + name + " in " + report);
    }

    private double identifyThreshold() {
        var r = api.image("/api/v1/identify?detect=false", "q.png", TestImages.face(305, 7));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().get("threshold").asDouble();
    }

    private double verifyThreshold() {
        var r = api.image("/api/v1/employees/c5/verify?detect=false", "q.png", TestImages.face(305, 7));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().get("threshold").asDouble();
    }

    private JsonNode latestAudit(String action) {
        return api.get("/api/v1/admin/audit?action=" + action).json().get("items").get(0);
    }

    @Test
    void reportCountsTheEvidenceAndStatesItsIntervalMethod() {
        var r = api.get("/api/v1/admin/calibration");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode report = r.json();
        JsonNode counts = report.get("counts");
        assertThat(counts.get("employees").asInt()).isEqualTo(EMPLOYEES);
        assertThat(counts.get("samples").asInt()).isEqualTo(EMPLOYEES * 3);
        assertThat(counts.get("impostorAttempts").asInt()).isEqualTo(EMPLOYEES * 3);
        assertThat(counts.get("impostorComparisons").asLong()).isEqualTo(EMPLOYEES * 3L * (EMPLOYEES - 1));
        assertThat(counts.get("genuineComparisons").asInt()).isEqualTo(EMPLOYEES * 3);
        assertThat(report.get("intervalMethod").asString()).contains("Wilson").contains("cluster-robust");
        assertThat(report.get("thresholdInForce").get("source").asString()).isEqualTo("model_default");
        assertThat(report.get("plot").get("href").asString()).isEqualTo("/api/v1/admin/calibration/plot");
        for (String name : new String[] {"in_force", "model_default", "far_0.1%", "far_1%", "far_5%"}) {
            JsonNode f = figures(report, name);
            JsonNode far = f.get("far");
            assertThat(far.get("low").asDouble()).isLessThanOrEqualTo(far.get("estimate").asDouble());
            assertThat(far.get("high").asDouble()).isGreaterThanOrEqualTo(far.get("estimate").asDouble());
            assertThat(f.get("tar").get("of").asInt()).isEqualTo(EMPLOYEES * 3);
        }
        // 75 attempts cannot resolve 0.1%, and 1,800 comparisons of 25 employees are fine but few attempts.
        assertThat(figures(report, "far_0.1%").get("notes").toString()).contains("cannot resolve");
        assertThat(report.get("notes").toString()).contains("genuine comparisons");
    }

    @Test
    void applyingATargetFarSetsTheThresholdIdentifyAndVerifyAnswerWith() {
        double expected = figures(api.get("/api/v1/admin/calibration").json(), "far_5%").get("threshold").asDouble();
        var r = api.postJson("/api/v1/admin/calibration", "{\"targetFar\":0.05}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode inForce = r.json().get("thresholdInForce");
        assertThat(inForce.get("source").asString()).isEqualTo("target_far");
        assertThat(inForce.get("targetFar").asDouble()).isEqualTo(0.05);
        assertThat(inForce.get("setBy").asString()).isEqualTo("test-admin");
        assertThat(inForce.get("threshold").asDouble()).isCloseTo(expected, within(1e-9));
        assertThat(identifyThreshold()).isCloseTo(expected, within(1e-9));
        assertThat(verifyThreshold()).isCloseTo(expected, within(1e-9));
        assertThat(api.get("/api/v1/model").json().get("threshold").asDouble()).isCloseTo(expected, within(1e-9));
        assertThat(figures(r.json(), "in_force").get("far").get("estimate").asDouble()).isLessThanOrEqualTo(0.05);
        JsonNode audit = latestAudit("threshold_set");
        assertThat(audit.get("keyId").asString()).isEqualTo("test-admin");
        assertThat(audit.get("outcome").asString()).isEqualTo(String.format(Locale.ROOT, "%.4f", expected));
        assertThat(audit.get("detail").asString()).contains("target FAR 5%").contains("FAR=").contains("TAR=");
    }

    @Test
    void applyingAThresholdByHandSetsItAndRecordsTheFiguresAtIt() {
        var r = api.postJson("/api/v1/admin/calibration", "{\"threshold\":0.55}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("thresholdInForce").get("source").asString()).isEqualTo("manual");
        assertThat(figures(r.json(), "in_force").get("threshold").asDouble()).isEqualTo(0.55);
        assertThat(identifyThreshold()).isEqualTo(0.55);
        assertThat(verifyThreshold()).isEqualTo(0.55);
        // A request's own threshold still wins.
        assertThat(api.image("/api/v1/identify?detect=false&threshold=0.3", "q.png", TestImages.face(305, 7)).json()
                .get("threshold").asDouble()).isEqualTo(0.3);
        JsonNode audit = latestAudit("threshold_set");
        assertThat(audit.get("outcome").asString()).isEqualTo("0.5500");
        assertThat(audit.get("detail").asString()).contains("set by hand");
    }

    @Test
    void deleteReturnsToTheModelsDefaultAndIsAudited() {
        api.postJson("/api/v1/admin/calibration", "{\"threshold\":0.55}");
        var r = api.delete("/api/v1/admin/calibration");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        double modelDefault = r.json().get("modelDefaultThreshold").asDouble();
        assertThat(r.json().get("thresholdInForce").get("source").asString()).isEqualTo("model_default");
        assertThat(r.json().get("thresholdInForce").get("threshold").asDouble()).isEqualTo(modelDefault);
        assertThat(identifyThreshold()).isEqualTo(modelDefault);
        assertThat(latestAudit("threshold_reset").get("keyId").asString()).isEqualTo("test-admin");
    }

    @Test
    void badApplyRequestsAreProblems() {
        assertProblem(api.postJson("/api/v1/admin/calibration", "{}"), 400, "validation_failed");
        assertProblem(api.postJson("/api/v1/admin/calibration", "{\"targetFar\":0.01,\"threshold\":0.5}"), 400,
                "validation_failed");
        assertProblem(api.postJson("/api/v1/admin/calibration", "{\"targetFar\":1.5}"), 400, "validation_failed");
        assertProblem(api.postJson("/api/v1/admin/calibration", "{\"targetFar\":0}"), 400, "validation_failed");
        assertProblem(api.postJson("/api/v1/admin/calibration", "{\"threshold\":-1}"), 400, "validation_failed");
        assertProblem(api.postJson("/api/v1/admin/calibration", "{\"threshold\":"), 400, "validation_failed");
        assertProblem(api.get("/api/v1/admin/calibration/plot?format=gif"), 400, "validation_failed");
        assertThat(identifyThreshold()).isEqualTo(api.get("/api/v1/admin/calibration").json()
                .get("modelDefaultThreshold").asDouble());
    }

    @Test
    void onlyAdminsMayReadOrChangeTheCalibration() {
        ApiClient hr = new ApiClient(port, ApiClient.ENROLL_KEY);
        ApiClient door = new ApiClient(port, ApiClient.IDENTIFY_KEY);
        assertProblem(hr.get("/api/v1/admin/calibration"), 403, "role_missing");
        assertProblem(door.postJson("/api/v1/admin/calibration", "{\"threshold\":0.1}"), 403, "role_missing");
        assertProblem(door.delete("/api/v1/admin/calibration"), 403, "role_missing");
        assertProblem(hr.get("/api/v1/admin/calibration/plot"), 403, "role_missing");
        assertProblem(hr.get("/api/v1/admin/gallery/health"), 403, "role_missing");
        assertProblem(new ApiClient(port, null).get("/api/v1/admin/calibration"), 401, "api_key_missing");
        assertThat(identifyThreshold()).isNotEqualTo(0.1);
    }

    @Test
    void thePlotIsAnSvgWithTheThresholdInForceMarked() throws Exception {
        api.postJson("/api/v1/admin/calibration", "{\"threshold\":0.61}");
        var r = api.get("/api/v1/admin/calibration/plot");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("image/svg+xml");
        DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
        // Well-formed XML, read without fetching the SVG DTD the document names.
        xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document svg = xml.newDocumentBuilder().parse(new ByteArrayInputStream(r.body()));
        assertThat(svg.getDocumentElement().getLocalName() == null ? svg.getDocumentElement().getTagName()
                : svg.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(r.text()).contains("threshold in force 0.610").contains("model default").contains("ROC");
    }

    @Test
    void thePlotIsAlsoAPng() throws Exception {
        var r = api.get("/api/v1/admin/calibration/plot?format=png");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("image/png");
        var image = ImageIO.read(new ByteArrayInputStream(r.body()));
        assertThat(image.getWidth()).isEqualTo(CalibrationPlot.WIDTH);
        assertThat(image.getHeight()).isEqualTo(CalibrationPlot.HEIGHT);
    }
}
