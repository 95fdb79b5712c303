package io.faceroster.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for tests against a running FaceRoster: JSON in and out, hand-built multipart bodies. */
public final class ApiClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The test keys of {@code src/test/resources/config/application.properties}. */
    public static final String ADMIN_KEY = "test-admin-key-0123456789";
    public static final String ENROLL_KEY = "test-hr-key-0123456789abc";
    public static final String IDENTIFY_KEY = "test-door-key-0123456789ab";

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final String apiKey;

    /** A client sending the test admin key. */
    public ApiClient(int port) {
        this(port, ADMIN_KEY);
    }

    /** A client sending {@code apiKey} in X-API-Key (none when null). */
    public ApiClient(int port, String apiKey) {
        this.base = "http://localhost:" + port;
        this.apiKey = apiKey;
    }

    /** One multipart part. */
    public record Part(String name, String filename, String contentType, byte[] bytes) {
        public static Part image(String filename, byte[] bytes) {
            return new Part("image", filename, "application/octet-stream", bytes);
        }
    }

    /** Status, content type and body of a response; {@link #json()} parses the body. */
    public record Response(int status, String contentType, byte[] body, Map<String, List<String>> headers) {

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** A bodiless request with one extra header. */
    public Response send(String method, String path, String header, String value) {
        return send(HttpRequest.newBuilder(uri(path)).header(header, value)
                .method(method, HttpRequest.BodyPublishers.noBody()));
    }

    public Response delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    public Response postJson(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Registers an employee with a consent record (enrolment requires one by default). */
    public Response createEmployee(String employeeId, String displayName) {
        return postJson("/api/v1/employees", "{\"employeeId\":\"" + employeeId + "\",\"displayName\":\"" + displayName
                + "\",\"consent\":{\"reference\":\"test consent form " + employeeId + "\"}}");
    }

    public Response patchJson(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response multipart(String path, List<Part> parts) {
        String boundary = "----faceroster-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            for (Part p : parts) {
                body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.name() + "\""
                        + (p.filename() == null ? "" : "; filename=\"" + p.filename() + "\"")
                        + "\r\nContent-Type: " + p.contentType() + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                body.write(p.bytes());
                body.write("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    public Response image(String path, String filename, byte[] bytes) {
        return multipart(path, List.of(Part.image(filename, bytes)));
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private Response send(HttpRequest.Builder request) {
        try {
            if (apiKey != null) {
                request.header("X-API-Key", apiKey);
            }
            HttpResponse<byte[]> r = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(),
                    r.headers().map());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
