package io.faceroster.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code import}: a bulk import from the terminal. Packs a folder ({@code <employeeId>/<photo>}, optionally
 * {@code employees.csv}) into a ZIP if needed, uploads it as a stream, follows the import with a progress bar, prints
 * a summary and downloads the per-photo report.
 */
final class ImportCommand {

    static final String USAGE = """
            import --url URL --api-key KEY [options] DIR_OR_ZIP
              a folder of <employeeId>/<photo> (and optionally employees.csv), or a ZIP of the same
              --url URL                     the service (e.g. http://localhost:8080)
              --api-key KEY                 a key with the enroll or admin role
              --consent-reference REF       consent for employees the CSV gives none (HR's records held elsewhere)
              --on-existing skip|add        employees already enrolled: leave alone (default) or add new photos
              --dry-run                     check everything, store nothing
              --no-detect                   the photos are already aligned crops
              --report FILE                 where the per-photo report goes (default import-<id>-report.csv)
            """;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ImportCommand() {
    }

    static int run(String[] args) throws Exception {
        List<String> options = new ArrayList<>();
        String source = null;
        Set<String> flags = Set.of("dry-run", "no-detect");
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                options.add(args[i]);
                if (!flags.contains(args[i].substring(2)) && !args[i].contains("=") && i + 1 < args.length) {
                    options.add(args[++i]);
                }
            } else if (source == null) {
                source = args[i];
            } else {
                throw new IllegalArgumentException("more than one DIR_OR_ZIP: '" + source + "', '" + args[i] + "'");
            }
        }
        CommandLine cl = new CommandLine(options.toArray(String[]::new), flags);
        if (source == null) {
            throw new IllegalArgumentException("import needs a folder or a ZIP archive");
        }
        String url = cl.require("url").replaceAll("/+$", "");
        String key = cl.require("api-key");
        Path path = Path.of(source);
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(path + " does not exist");
        }
        String query = "?detect=" + !cl.flag("no-detect") + "&dryRun=" + cl.flag("dry-run") + "&onExisting="
                + cl.get("on-existing", "skip") + (cl.get("consent-reference", null) == null ? "" : "&consentReference="
                + URLEncoder.encode(cl.get("consent-reference", null), StandardCharsets.UTF_8));
        Path zip = Files.isDirectory(path) ? pack(path) : path;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        try {
            System.out.printf("uploading %s (%,d bytes) to %s%n", zip.getFileName(), Files.size(zip), url);
            JsonNode submitted = upload(http, url + "/api/v1/admin/imports" + query, key, zip);
            if (submitted == null) {
                return 1;
            }
            String id = submitted.get("importId").asString();
            JsonNode end = follow(http, url + "/api/v1/admin/imports/" + id, key, submitted.get("photos").asInt());
            summary(end);
            Path report = Path.of(cl.get("report", "import-" + id + "-report.csv"));
            HttpResponse<Path> r = http.send(request(url + "/api/v1/admin/imports/" + id + "/report.csv", key).GET()
                    .build(), HttpResponse.BodyHandlers.ofFile(report));
            System.out.println(r.statusCode() == 200 ? "report: " + report.toAbsolutePath()
                    : "the report could not be downloaded (HTTP " + r.statusCode() + ")");
            return end.get("status").asString().equals("SUCCEEDED") ? 0 : 1;
        } finally {
            if (zip != path) {
                Files.deleteIfExists(zip);
            }
        }
    }

    /** Packs {@code dir} into a temporary ZIP (UTF-8 names, hidden files left out). */
    static Path pack(Path dir) throws IOException {
        Path zip = Files.createTempFile("faceroster-import-", ".zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out);
             Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = dir.relativize(p).toString().replace('\\', '/');
                if (Stream.of(name.split("/")).anyMatch(s -> s.startsWith("."))) {
                    continue;
                }
                z.putNextEntry(new ZipEntry(name));
                Files.copy(p, z);
                z.closeEntry();
            }
        }
        return zip;
    }

    private static HttpRequest.Builder request(String uri, String key) {
        return HttpRequest.newBuilder(URI.create(uri)).header("X-API-Key", key).timeout(Duration.ofMinutes(30));
    }

    /** Streams the archive as the {@code archive} part; returns the 202 answer, or null after printing the problem. */
    private static JsonNode upload(HttpClient http, String uri, String key, Path zip) throws Exception {
        String boundary = "----faceroster-import-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"archive\"; filename=\""
                + zip.getFileName() + "\"\r\nContent-Type: application/zip\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                HttpRequest.BodyPublishers.ofFile(zip), HttpRequest.BodyPublishers.ofByteArray(tail));
        HttpResponse<String> r = http.send(request(uri, key).header("Content-Type",
                "multipart/form-data; boundary=" + boundary).POST(body).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            System.err.println("refused (HTTP " + r.statusCode() + "): " + r.body());
            return null;
        }
        return JSON.readTree(r.body());
    }

    /** Polls the import until it ends, drawing a progress bar of photos handled. */
    private static JsonNode follow(HttpClient http, String uri, String key, int photos) throws Exception {
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("import").setInitialMax(photos)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" photos", 1).showSpeed().build()) {
            while (true) {
                HttpResponse<String> r = http.send(request(uri, key).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode job = JSON.readTree(r.body());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("HTTP " + r.statusCode() + " while following the import: " + r.body());
                }
                JsonNode p = job.get("progress");
                bar.stepTo(p.get("photosDone").asLong());
                bar.setExtraMessage(" enrolled " + p.get("facesEnrolled").asInt() + ", refused " + p.get("refused").asInt());
                if (!job.get("status").asString().matches("QUEUED|RUNNING")) {
                    return job;
                }
                Thread.sleep(500);
            }
        }
    }

    private static void summary(JsonNode job) {
        JsonNode p = job.get("progress");
        System.out.println();
        System.out.printf("%-20s %s%n", "status", job.get("status").asString());
        System.out.printf("%-20s %d of %d%n", "photos handled", p.get("photosDone").asInt(), p.get("photosTotal").asInt());
        System.out.printf("%-20s %d%n", "employees created", p.get("employeesCreated").asInt());
        System.out.printf("%-20s %d%n", "faces enrolled", p.get("facesEnrolled").asInt());
        System.out.printf("%-20s %d%n", "photos refused", p.get("refused").asInt());
        p.get("refusedByCode").properties().forEach(e -> System.out.printf("  %-18s %d%n", e.getKey(),
                e.getValue().asInt()));
        System.out.printf("%-20s %d s%n", "elapsed", p.get("elapsedSeconds").asLong());
        if (job.hasNonNull("reason")) {
            System.out.printf("%-20s %s%n", "reason", job.get("reason").asString());
        }
    }
}
