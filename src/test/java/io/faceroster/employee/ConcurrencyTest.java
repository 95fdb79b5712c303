package io.faceroster.employee;

import static org.assertj.core.api.Assertions.assertThat;

import io.faceroster.testsupport.ApiClient;
import io.faceroster.testsupport.TestImages;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Eight clients enrol and identify at once for a few seconds: no errors, and every count agrees. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:concurrency;DB_CLOSE_DELAY=-1")
class ConcurrencyTest {

    @LocalServerPort
    int port;
    @Autowired
    FaceSampleRepository faces;

    @Test
    void enrolAndIdentifyConcurrently() throws Exception {
        ApiClient api = new ApiClient(port);
        long deadline = System.currentTimeMillis() + 4000;
        AtomicInteger enrolledFaces = new AtomicInteger();
        AtomicInteger identifications = new AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                int n = 0;
                while (System.currentTimeMillis() < deadline && n < 200) {
                    if (thread % 2 == 0) {
                        String id = "c" + thread + "-" + n;
                        var c = api.createEmployee(id, "x");
                        var e = api.image("/api/v1/employees/" + id + "/faces?detect=false", "f.png", TestImages.face(thread * 1000 + n, 0));
                        if (c.status() != 201 || e.status() != 201) {
                            failures.add(c.status() + "/" + e.status() + " " + e.text());
                        } else {
                            enrolledFaces.incrementAndGet();
                        }
                    } else {
                        var r = api.image("/api/v1/identify?candidates=5&detect=false", "q.png", TestImages.face(n, 1));
                        if (r.status() != 200) {
                            failures.add(r.status() + " " + r.text());
                        } else {
                            identifications.incrementAndGet();
                        }
                    }
                    n++;
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        assertThat(failures).isEmpty();
        assertThat(enrolledFaces.get()).isPositive();
        assertThat(identifications.get()).isPositive();
        var model = api.get("/api/v1/model").json();
        assertThat(faces.count()).isEqualTo(enrolledFaces.get());
        assertThat(model.get("enrolledFaces").asInt()).isEqualTo(enrolledFaces.get());
        assertThat(model.get("enrolledEmployees").asInt()).isEqualTo(enrolledFaces.get());
        assertThat(api.get("/api/v1/employees").json().get("total").asInt()).isEqualTo(enrolledFaces.get());
    }
}
