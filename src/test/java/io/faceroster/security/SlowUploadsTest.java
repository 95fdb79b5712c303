package io.faceroster.security;

import static io.faceroster.testsupport.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.faceroster.testsupport.ApiClient;
import io.faceroster.testsupport.RunningApp;
import io.faceroster.testsupport.TestImages;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 item 5: stalled uploads of one key hold at most its concurrency limit of workers; its next request is
 * refused at once, other keys and health are served, and Tomcat closes a stalled upload after its connection
 * timeout, which gives the key's share back.
 */
class SlowUploadsTest {

    /** Sends the headers and 100 bytes of a multipart identify that announces 100 000; never sends the rest. */
    private static Socket stalledUpload(int port, String key) throws IOException {
        Socket s = new Socket("localhost", port);
        s.setSoTimeout(60_000);
        String head = "POST /api/v1/identify HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + key
                + "\r\nContent-Type: multipart/form-data; boundary=xyz\r\nContent-Length: 100000\r\n\r\n";
        String body = "--xyz\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\r\n";
        s.getOutputStream().write((head + body + "x".repeat(Math.max(0, 100 - body.length())))
                .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    /** What each stalled upload has been sent back so far (diagnosis of a failure), without waiting long. */
    private static List<String> received(List<Socket> stalled) {
        List<String> out = new ArrayList<>();
        for (Socket s : stalled) {
            try {
                s.setSoTimeout(200);
                byte[] b = new byte[300];
                int n = s.getInputStream().read(b);
                out.add(n < 0 ? "(closed)" : new String(b, 0, n, StandardCharsets.US_ASCII));
            } catch (IOException e) {
                out.add("(nothing: " + e.getMessage() + ")");
            }
        }
        return out;
    }

    @Test
    void stalledUploadsOfOneKeyHoldOnlyItsShareAndAreClosedAfterTheTimeout() throws Exception {
        try (RunningApp app = RunningApp.start(Map.of("spring.datasource.url", "jdbc:h2:mem:slow-uploads",
                "faceroster.security.max-concurrent-requests-per-key", "2",
                // Long enough for the stalled uploads to be dispatched on a loaded machine before Tomcat drops them.
                "server.tomcat.connection-timeout", "10s"))) {
            ApiClient door = new ApiClient(app.port(), ApiClient.IDENTIFY_KEY);
            List<Socket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    stalled.add(stalledUpload(app.port(), ApiClient.IDENTIFY_KEY));
                }
                // Once both stalled uploads are inside the service, the key's third request is refused at once.
                ApiClient.Response third = null;
                long until = System.nanoTime() + 15_000_000_000L;
                while (System.nanoTime() < until && (third == null || third.status() != 429)) {
                    // A stalled upload dispatched while one of these requests was in progress was itself refused
                    // (seen: "HTTP/1.1 429" on the second stalled socket): send another in its place.
                    for (int i = 0; i < stalled.size(); i++) {
                        if (stalled.get(i).getInputStream().available() > 0) {
                            stalled.get(i).close();
                            stalled.set(i, stalledUpload(app.port(), ApiClient.IDENTIFY_KEY));
                        }
                    }
                    third = door.image("/api/v1/identify?detect=false", "q.png", TestImages.face(1, 1));
                }
                if (third.status() != 429) {
                    throw new AssertionError("no 429 within 15 s; the stalled uploads received: " + received(stalled));
                }
                assertProblem(third, 429, "too_many_concurrent_requests");
                assertThat(app.api().get("/api/v1/model").status()).isEqualTo(200);
                assertThat(app.api().get("/actuator/health").status()).isEqualTo(200);
                // Tomcat gives up on each stalled upload after the connection timeout: an answer or a close.
                for (Socket s : stalled) {
                    InputStream in = s.getInputStream();
                    // 'H' of a response, or -1 for a closed connection; still open after 60 s: SocketTimeoutException.
                    assertThat(in.read()).as("the stalled upload is answered or closed").isIn((int) 'H', -1);
                }
            } finally {
                for (Socket s : stalled) {
                    s.close();
                }
            }
            assertThat(door.image("/api/v1/identify?detect=false", "q.png", TestImages.face(1, 1)).status())
                    .isEqualTo(200);
        }
    }
}
