package io.faceroster.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.faceroster.testsupport.ApiClient.Part;
import io.faceroster.testsupport.ApiClient;
import io.faceroster.testsupport.TestImages;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The service's real situation on the ORL evaluation persons, through the API and at the shipped threshold:
 * s31..s35 are enrolled with images 1-3; their images 4-10 must be recognised, and every image of s36..s40
 * (never enrolled) should be answered "unknown". Run twice: through face detection and alignment (the default)
 * and on the whole photos ({@code detect=false}). Skipped when the data set is absent.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:orl-walkthrough;DB_CLOSE_DELAY=-1")
class OrlWalkthroughTest {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OrlWalkthroughTest.class);

    @LocalServerPort
    int port;

    /** What one walk-through measured. */
    record Outcome(int genuine, int rank1, int accepted, int strangers, int rejected) {
        double rank1Rate() {
            return (double) rank1 / genuine;
        }

        double acceptRate() {
            return (double) accepted / genuine;
        }

        double rejectRate() {
            return (double) rejected / strangers;
        }

        @Override
        public String toString() {
            return String.format("rank-1 %.3f (%d/%d), identified at the threshold %.3f (%d/%d), strangers rejected "
                    + "%.3f (%d/%d)", rank1Rate(), rank1, genuine, acceptRate(), accepted, genuine, rejectRate(),
                    rejected, strangers);
        }
    }

    @Test
    void enrolFiveIdentifyEveryoneAtTheShippedThresholdWithAndWithoutDetection() {
        assumeTrue(TestImages.orlPresent(), "ORL data set not present beside the project");
        ApiClient api = new ApiClient(port);
        Outcome detected = walk(api, "");
        Outcome whole = walk(api, "?detect=false");
        LOG.info("ORL walk-through through the detector: " + detected);
        LOG.info("ORL walk-through, whole photos (detect=false): " + whole);
        for (Outcome o : List.of(detected, whole)) {
            assertThat(o.rank1Rate()).isGreaterThanOrEqualTo(0.9);
            assertThat(o.rejectRate()).isGreaterThanOrEqualTo(0.9);
            assertThat(o.acceptRate()).isGreaterThanOrEqualTo(0.5);
        }
        // No loss from detection and alignment: as many recognised at rank 1 and at the threshold, and as
        // many strangers turned away, as with the whole photos.
        assertThat(detected.rank1()).isGreaterThanOrEqualTo(whole.rank1());
        assertThat(detected.accepted()).isGreaterThanOrEqualTo(whole.accepted());
        assertThat(detected.rejected()).isGreaterThanOrEqualTo(whole.rejected());
    }

    private static Outcome walk(ApiClient api, String query) {
        for (int s = 31; s <= 35; s++) {
            api.createEmployee("s" + s, "Subject " + s);
            List<Part> parts = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                parts.add(Part.image(i + ".pgm", TestImages.orl(s, i)));
            }
            var enrolled = api.multipart("/api/v1/employees/s" + s + "/faces" + query, parts);
            assertThat(enrolled.status()).as(enrolled.text()).isEqualTo(201);
        }
        int genuine = 0;
        int rank1 = 0;
        int accepted = 0;
        for (int s = 31; s <= 35; s++) {
            for (int i = 4; i <= 10; i++) {
                JsonNode r = api.image("/api/v1/identify" + query, i + ".pgm", TestImages.orl(s, i)).json();
                genuine++;
                if (r.get("candidates").get(0).get("employeeId").asString().equals("s" + s)) {
                    rank1++;
                }
                if (!r.get("match").isNull() && r.get("match").get("employeeId").asString().equals("s" + s)) {
                    accepted++;
                }
            }
        }
        int strangers = 0;
        int rejected = 0;
        for (int s = 36; s <= 40; s++) {
            for (int i = 1; i <= 10; i++) {
                JsonNode r = api.image("/api/v1/identify" + query, i + ".pgm", TestImages.orl(s, i)).json();
                strangers++;
                if (r.get("match").isNull()) {
                    rejected++;
                }
            }
        }
        for (int s = 31; s <= 35; s++) {
            assertThat(api.delete("/api/v1/employees/s" + s).status()).isEqualTo(200);
        }
        return new Outcome(genuine, rank1, accepted, strangers, rejected);
    }
}
