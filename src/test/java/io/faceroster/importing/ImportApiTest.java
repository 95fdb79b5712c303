package io.faceroster.importing;

import static org.assertj.core.api.Assertions.assertThat;

import io.faceroster.testsupport.ApiClient;
import io.faceroster.testsupport.DrawnFaces;
import io.faceroster.testsupport.ImportArchives;
import io.faceroster.testsupport.RunningApp;
import io.faceroster.testsupport.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Bulk import over HTTP (issue 15) on drawn faces: what is created, enrolled and refused (with codes), the report,
 * dry runs, {@code onExisting}, roles and audit; each hostile archive refused whole with a clear problem, nothing
 * stored and no file left behind. One service for the class (small limits so the bombs stay small).
 */
class ImportApiTest {

    private static final String CSV_HEADER = "employeeId,displayName,consentReference,consentGivenAt\r\n";

    @TempDir
    static Path dir;
    private static RunningApp app;
    private static ApiClient hr;

    @BeforeAll
    static void start() {
        app = RunningApp.start(Map.of("spring.datasource.url", "jdbc:h2:file:" + dir.resolve("db"),
                "faceroster.import.folder", dir.resolve("imports").toString(),
                "faceroster.import.max-archive-size", "3MB", "faceroster.import.max-uncompressed-size", "6MB",
                "faceroster.import.max-entries", "40", "faceroster.import.max-photo-size", "2MB"));
        hr = new ApiClient(app.port(), ApiClient.ENROLL_KEY);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    static ApiClient.Response upload(ApiClient api, String query, byte[] zip) {
        return api.multipart("/api/v1/admin/imports" + query, List.of(ImportArchives.part(zip)));
    }

    static JsonNode awaitEnd(ApiClient api, String importId) throws InterruptedException {
        return awaitEnd(api, importId, 120_000);
    }

    static JsonNode awaitEnd(ApiClient api, String importId, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            JsonNode job = api.get("/api/v1/admin/imports/" + importId).json();
            if (!job.get("status").asString().matches("QUEUED|RUNNING")) {
                return job;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("import " + importId + " did not end in time");
    }

    private static String submitted(ApiClient.Response r) {
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        assertThat(r.header("Location")).endsWith("/api/v1/admin/imports/" + r.json().get("importId").asString());
        return r.json().get("importId").asString();
    }

    private static byte[] blank() {
        return TestImages.encode(DrawnFaces.canvas(640, 480), "png");
    }

    private static boolean noArchiveLeft() throws IOException {
        Path folder = dir.resolve("imports");
        if (!Files.isDirectory(folder)) {
            return true;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.findAny().isEmpty();
        }
    }

    private static List<String> reportLines(String importId) {
        return hr.get("/api/v1/admin/imports/" + importId + "/report.csv").text().lines().toList();
    }

    @Test
    void anArchiveCreatesEmployeesEnrolsTheirFacesAndReportsEachRefusalWithItsCode() throws Exception {
        byte[] zip = ImportArchives.archive()
                .csv(CSV_HEADER + "imp-a,Ann Import,HR-1,2026-01-15\r\nimp-b,\"Bob, Import\",HR-2,\r\n")
                .add("imp-a/0.jpg", TestImages.photo(61, 0)).add("imp-a/1.jpg", TestImages.photo(61, 1))
                .add("imp-a/2.jpg", TestImages.photo(61, 2))
                .add("imp-b/0.jpg", TestImages.photo(62, 0)).add("imp-b/blank.png", blank())
                .add("imp-b/notes.txt", "not a photo".getBytes(StandardCharsets.UTF_8))
                .add("imp-c/0.jpg", TestImages.photo(63, 0)).zip();
        JsonNode done = awaitEnd(hr, submitted(upload(hr, "", zip)));
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        JsonNode p = done.get("progress");
        assertThat(p.get("photosTotal").asInt()).isEqualTo(7);
        assertThat(p.get("photosDone").asInt()).isEqualTo(7);
        assertThat(p.get("employeesCreated").asInt()).isEqualTo(2);
        assertThat(p.get("facesEnrolled").asInt()).isEqualTo(4);
        assertThat(p.get("refused").asInt()).isEqualTo(3);
        assertThat(p.get("refusedByCode").toString()).as(done.toString())
                .isEqualTo("{\"consent_required\":1,\"image_format_unsupported\":1,\"no_face\":1}");
        assertThat(done.get("firstRefusals")).hasSize(3);

        assertThat(hr.get("/api/v1/employees/imp-a/faces").json().get("faces")).hasSize(3);
        assertThat(hr.get("/api/v1/employees/imp-b").json().get("displayName").asString()).isEqualTo("Bob, Import");
        assertThat(hr.get("/api/v1/employees/imp-c").status()).isEqualTo(404);
        JsonNode found = app.api().image("/api/v1/identify", "q.jpg", TestImages.photo(61, 5)).json();
        assertThat(found.get("match").get("employeeId").asString()).isEqualTo("imp-a");
    }

    @Test
    void theReportHasOneLinePerPhotoWithOutcomeCodeAndFaceSampleId() throws Exception {
        byte[] zip = ImportArchives.archive().csv(CSV_HEADER + "rep-a,Rep A,HR-9,\r\n")
                .add("rep-a/0.jpg", TestImages.photo(64, 0)).add("rep-a/blank.png", blank()).zip();
        String id = submitted(upload(hr, "", zip));
        awaitEnd(hr, id);
        List<String> lines = reportLines(id);
        assertThat(lines.get(0)).isEqualTo("employeeId,file,outcome,problemCode,detail,faceSampleId");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).startsWith("rep-a,0.jpg,enrolled,,,").matches(".*,[0-9a-f-]{36}$");
        assertThat(lines.get(2)).startsWith("rep-a,blank.png,refused,no_face,");
        String faceId = lines.get(1).substring(lines.get(1).lastIndexOf(',') + 1);
        assertThat(hr.get("/api/v1/employees/rep-a/faces/" + faceId + "/image").status()).isEqualTo(200);
    }

    @Test
    void aFileNameThatASpreadsheetWouldRunAsAFormulaIsNeutralisedInTheReport() throws Exception {
        byte[] zip = ImportArchives.archive().add("xl-a/=HYPERLINK(1).png", blank()).zip();
        String id = submitted(upload(hr, "?consentReference=HR-5", zip));
        awaitEnd(hr, id);
        assertThat(reportLines(id).get(1)).startsWith("xl-a,'=HYPERLINK(1).png,refused,no_face,");
    }

    @Test
    void eachEmployeeIsAuditedOnceNamingTheImportAndTheKeyThatStartedIt() throws Exception {
        byte[] zip = ImportArchives.archive().add("aud-a/0.jpg", TestImages.photo(65, 0))
                .add("aud-a/1.jpg", TestImages.photo(65, 1)).zip();
        String id = submitted(upload(hr, "?consentReference=HR-folder-2026", zip));
        awaitEnd(hr, id);
        JsonNode trail = app.api().get("/api/v1/admin/audit?employeeId=aud-a&action=enrol").json().get("items");
        assertThat(trail).hasSize(1);
        assertThat(trail.get(0).get("keyId").asString()).isEqualTo("test-hr");
        assertThat(trail.get(0).get("detail").asString()).contains("import " + id).contains("employee created");
        assertThat(hr.get("/api/v1/employees/aud-a").json().toString()).contains("HR-folder-2026");
    }

    @Test
    void aDryRunChecksEverythingAndStoresNothing() throws Exception {
        byte[] zip = ImportArchives.archive().add("dry-a/0.jpg", TestImages.photo(66, 0))
                .add("dry-a/blank.png", blank()).zip();
        JsonNode done = awaitEnd(hr, submitted(upload(hr, "?dryRun=true&consentReference=HR-3", zip)));
        assertThat(done.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("dryRun").asBoolean()).isTrue();
        assertThat(done.get("progress").get("refused").asInt()).isEqualTo(1);
        assertThat(done.get("progress").get("facesEnrolled").asInt()).isZero();
        assertThat(reportLines(done.get("importId").asString()).get(1)).startsWith("dry-a,0.jpg,would_enrol,");
        assertThat(hr.get("/api/v1/employees/dry-a").status()).isEqualTo(404);
    }

    @Test
    void onExistingSkipLeavesAnEnrolledEmployeeAloneAndAddStoresOnlyPhotosNotStoredYet() throws Exception {
        byte[] first = ImportArchives.archive().add("ex-a/0.jpg", TestImages.photo(67, 0)).zip();
        awaitEnd(hr, submitted(upload(hr, "?consentReference=HR-4", first)));
        byte[] again = ImportArchives.archive().add("ex-a/0.jpg", TestImages.photo(67, 0))
                .add("ex-a/1.jpg", TestImages.photo(67, 1)).zip();
        String skipId = submitted(upload(hr, "", again));
        JsonNode skipped = awaitEnd(hr, skipId);
        assertThat(skipped.get("progress").get("facesEnrolled").asInt()).isZero();
        assertThat(reportLines(skipId).subList(1, 3)).allSatisfy(l -> assertThat(l).contains(",skipped,"));
        assertThat(hr.get("/api/v1/employees/ex-a/faces").json().get("faces")).hasSize(1);

        String addId = submitted(upload(hr, "?onExisting=add", again));
        JsonNode added = awaitEnd(hr, addId);
        assertThat(added.get("progress").get("facesEnrolled").asInt()).isEqualTo(1);
        assertThat(reportLines(addId)).anySatisfy(l -> assertThat(l).startsWith("ex-a,0.jpg,already_stored,"));
        assertThat(hr.get("/api/v1/employees/ex-a/faces").json().get("faces")).hasSize(2);
    }

    @Test
    void anIdentifyKeyMayNotImportAndImportsAreListed() {
        ApiClient door = new ApiClient(app.port(), ApiClient.IDENTIFY_KEY);
        var refused = upload(door, "", ImportArchives.archive().add("r/0.jpg", TestImages.photo(68, 0)).zip());
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("code").asString()).isEqualTo("role_missing");
        assertThat(app.api().get("/api/v1/admin/imports").json().get("items")).isNotNull();
    }

    // --- hostile and malformed archives: refused whole, nothing stored, no file left --------------------------------

    private static void refused(ApiClient.Response r, int status, String code, String neverCreated) throws IOException {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.json().get("code").asString()).isEqualTo(code);
        assertThat(r.text()).doesNotContain("Exception");
        assertThat(hr.get("/api/v1/employees/" + neverCreated).status()).isEqualTo(404);
        assertThat(noArchiveLeft()).as("temporary archive deleted").isTrue();
    }

    @Test
    void pathTraversalIsRefused() throws IOException {
        refused(upload(hr, "?consentReference=x", ImportArchives.archive().add("bad-t/0.jpg", TestImages.photo(69, 0))
                .add("../x.jpg", TestImages.photo(69, 1)).zip()), 400, "archive_unsafe_path", "bad-t");
    }

    @Test
    void anAbsolutePathIsRefused() throws IOException {
        refused(upload(hr, "?consentReference=x", ImportArchives.archive().add("bad-abs/0.jpg", TestImages.photo(69, 0))
                .add("/etc/x.jpg", TestImages.photo(69, 1)).zip()), 400, "archive_unsafe_path", "bad-abs");
    }

    @Test
    void aSymlinkEntryIsRefused() throws IOException {
        refused(upload(hr, "?consentReference=x", ImportArchives.archive().add("bad-l/0.jpg", TestImages.photo(69, 0))
                .symlink("bad-l/1.jpg", "/etc/passwd").zip()), 400, "archive_symlink", "bad-l");
    }

    @Test
    void aNestedArchiveIsRefused() throws IOException {
        byte[] inner = ImportArchives.archive().add("x/0.jpg", TestImages.photo(69, 0)).zip();
        refused(upload(hr, "?consentReference=x", ImportArchives.archive().add("bad-n/0.jpg", TestImages.photo(69, 0))
                .add("bad-n/more.jpg", inner).zip()), 400, "archive_nested", "bad-n");
    }

    @Test
    void aNameThatIsNotUtf8IsRefused() throws IOException {
        refused(upload(hr, "?consentReference=x", ImportArchives.archive().latin1Names()
                .add("bad-u/caf\u00e9.jpg", TestImages.photo(69, 0)).zip()), 400, "archive_name_not_utf8", "bad-u");
    }

    @Test
    void tooManyEntriesAreRefusedAsABomb() throws IOException {
        ImportArchives.Builder many = ImportArchives.archive();
        for (int i = 0; i < 41; i++) {
            many.add("bad-m/" + i + ".png", new byte[] {1});
        }
        refused(upload(hr, "?consentReference=x", many.zip()), 413, "archive_too_many_entries", "bad-m");
    }

    @Test
    void entriesInflatingBeyondTheLimitAreRefusedAsABomb() throws IOException {
        // 7 MB of zeros compress to a few kB: counted while inflating, the headers are not trusted.
        refused(upload(hr, "?consentReference=x", ImportArchives.archive().add("bad-z/0.jpg", TestImages.photo(69, 0))
                .add("bad-z/a.png", new byte[1_900_000]).add("bad-z/b.png", new byte[1_900_000])
                .add("bad-z/c.png", new byte[1_900_000]).add("bad-z/d.png", new byte[1_900_000]).zip()),
                413, "archive_uncompressed_too_large", "bad-z");
    }

    @Test
    void anArchiveLargerThanTheLimitIsRefusedWith413AndItsFileDeleted() throws IOException {
        byte[] noise = new byte[3_300_000];
        new Random(1).nextBytes(noise);
        refused(upload(hr, "?consentReference=x", ImportArchives.archive().add("bad-big/0.png", noise).zip()),
                413, "archive_too_large", "bad-big");
    }

    @Test
    void somethingThatIsNotAZipIsRefused() throws IOException {
        refused(upload(hr, "", "PK but not really".getBytes(StandardCharsets.UTF_8)), 400, "archive_unreadable",
                "nobody");
    }

    @Test
    void aCsvWithoutTheConsentColumnsIsRefusedWithItsLine() throws IOException {
        var r = upload(hr, "", ImportArchives.archive().csv("employeeId,displayName\r\nbad-c,C\r\n")
                .add("bad-c/0.jpg", TestImages.photo(69, 0)).zip());
        refused(r, 400, "csv_invalid", "bad-c");
        assertThat(r.json().get("detail").asString()).contains("consentReference").contains("consentGivenAt");
    }

    @Test
    void aCsvNamingAnEmployeeTwiceIsRefused() throws IOException {
        var r = upload(hr, "", ImportArchives.archive().csv(CSV_HEADER + "bad-d,D,HR,\r\nbad-d,D2,HR,\r\n")
                .add("bad-d/0.jpg", TestImages.photo(69, 0)).zip());
        refused(r, 400, "csv_invalid", "bad-d");
        assertThat(r.json().get("line").asInt()).isEqualTo(3);
    }

    @Test
    void anIdBreakingTheIdRulesIsRefusedInTheCsvAndAsAFolder() throws IOException {
        refused(upload(hr, "", ImportArchives.archive().csv(CSV_HEADER + "has space,X,HR,\r\n")
                .add("bad-i/0.jpg", TestImages.photo(69, 0)).zip()), 400, "employee_id_invalid", "bad-i");
        refused(upload(hr, "?consentReference=x", ImportArchives.archive().add("bad i/0.jpg", TestImages.photo(69, 0))
                .add("bad-j/0.jpg", TestImages.photo(69, 1)).zip()), 400, "employee_id_invalid", "bad-j");
    }

    @Test
    void anUnknownOptionValueIsAValidationProblem() throws IOException {
        refused(upload(hr, "?onExisting=replace", ImportArchives.archive().add("bad-o/0.jpg", TestImages.photo(69, 0))
                .zip()), 400, "validation_failed", "bad-o");
    }
}
