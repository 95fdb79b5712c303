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
 * (never enrolled) should be answered "unknown". Skipped when the data set is absent.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:orl-walkthrough;DB_CLOSE_DELAY=-1")
class OrlWalkthroughTest {

    @LocalServerPort
    int port;

    @Test
    void enrolFiveIdentifyEveryoneAtTheShippedThreshold() {
        assumeTrue(TestImages.orlPresent(), "ORL data set not present beside the project");
        ApiClient api = new ApiClient(port);
        for (int s = 31; s <= 35; s++) {
            api.postJson("/api/v1/employees", "{\"employeeId\":\"s" + s + "\",\"displayName\":\"Subject " + s + "\"}");
            List<Part> parts = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                parts.add(Part.image(i + ".pgm", TestImages.orl(s, i)));
            }
            assertThat(api.multipart("/api/v1/employees/s" + s + "/faces", parts).status()).isEqualTo(201);
        }
        int genuine = 0;
        int rank1 = 0;
        int accepted = 0;
        for (int s = 31; s <= 35; s++) {
            for (int i = 4; i <= 10; i++) {
                JsonNode r = api.image("/api/v1/identify", i + ".pgm", TestImages.orl(s, i)).json();
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
                JsonNode r = api.image("/api/v1/identify", i + ".pgm", TestImages.orl(s, i)).json();
                strangers++;
                if (r.get("match").isNull()) {
                    rejected++;
                }
            }
        }
        double rank1Rate = (double) rank1 / genuine;
        double detectRate = (double) accepted / genuine;
        double rejectRate = (double) rejected / strangers;
        System.out.printf("ORL walk-through: rank-1 %.3f (%d/%d), identified at threshold %.3f (%d/%d), "
                        + "strangers rejected %.3f (%d/%d)%n", rank1Rate, rank1, genuine, detectRate, accepted,
                genuine, rejectRate, rejected, strangers);
        assertThat(rank1Rate).isGreaterThanOrEqualTo(0.9);
        assertThat(rejectRate).isGreaterThanOrEqualTo(0.9);
        assertThat(detectRate).isGreaterThanOrEqualTo(0.5);
    }
}
