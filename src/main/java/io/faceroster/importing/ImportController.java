package io.faceroster.importing;

import io.faceroster.DomainException;
import io.faceroster.Paging;
import io.faceroster.security.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/** Bulk imports for HR (role {@code enroll} or {@code admin}): upload, watch, report, cancel, list. */
@RestController
@RequestMapping("/api/v1/admin/imports")
class ImportController {

    static final String UPLOAD_PATH = "/api/v1/admin/imports";
    /** Room for the multipart boundaries and part headers around the archive. */
    private static final long MULTIPART_OVERHEAD = 64 * 1024;

    private final ImportJobs imports;
    private final ImportJobRepository repository;
    private final ImportReport report;
    private final ImportProperties properties;

    ImportController(ImportJobs imports, ImportJobRepository repository, ImportReport report,
                     ImportProperties properties) {
        this.imports = imports;
        this.repository = repository;
        this.report = report;
        this.properties = properties;
    }

    record Submitted(UUID importId, ImportJob.Status status, int employees, int photos) {
    }

    record Progress(int photosDone, int photosTotal, int employeesCreated, int facesEnrolled, int refused,
                    Map<String, Integer> refusedByCode, long elapsedSeconds, Long etaSeconds) {
    }

    record Refusal(String employeeId, String file, String problemCode, String detail) {
    }

    record ImportView(UUID importId, ImportJob.Status status, String archiveName, boolean detect, String onExisting,
                      boolean dryRun, int employees, Progress progress, List<Refusal> firstRefusals, String reason,
                      Instant createdAt, Instant startedAt, Instant finishedAt) {
    }

    record ImportPage(List<ImportView> items, int page, int size, long total) {
    }

    /**
     * The archive arrives as the {@code archive} part of a multipart body, read as a stream (options are query
     * parameters: reading them as Spring request parameters would make the container parse the body first).
     */
    @PostMapping
    ResponseEntity<Submitted> submit(HttpServletRequest request) throws IOException {
        MultiValueMap<String, String> query = UriComponentsBuilder.newInstance().query(request.getQueryString())
                .build().getQueryParams();
        ImportJobs.Options options = new ImportJobs.Options(bool(query, "detect", true),
                onExisting(first(query, "onExisting")), bool(query, "dryRun", false), consent(query));
        long declared = request.getContentLengthLong();
        if (declared > properties.maxArchiveSize().toBytes() + MULTIPART_OVERHEAD) {
            // Refused before a byte is written to disk; a body without a length is counted while it streams.
            throw new DomainException("archive_too_large", "the upload (" + declared + " bytes) is larger than the "
                    + properties.maxArchiveSize().toBytes() + " bytes accepted (faceroster.import.max-archive-size); "
                    + "nothing was stored");
        }
        ImportJob job = imports.submit(request.getInputStream(), request.getContentType(), options, Caller.keyId());
        return ResponseEntity.accepted().location(URI.create(UPLOAD_PATH + "/" + job.getId()))
                .body(new Submitted(job.getId(), job.getStatus(), job.getEmployeesTotal(), job.getPhotosTotal()));
    }

    @GetMapping
    ImportPage list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        Paging.check(page, size, 100);
        var result = repository.findAllByOrderByCreatedAtDesc(PageRequest.of(page, size));
        return new ImportPage(result.getContent().stream().map(this::view).toList(), page, size,
                result.getTotalElements());
    }

    @GetMapping("/{importId}")
    ImportView get(@PathVariable UUID importId) {
        return view(imports.find(importId));
    }

    @GetMapping("/{importId}/report.csv")
    void reportCsv(@PathVariable UUID importId, HttpServletResponse response) throws IOException {
        imports.find(importId);
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"import-" + importId + "-report.csv\"");
        Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        report.writeCsv(importId, out);
        out.flush();
    }

    @PostMapping("/{importId}/cancel")
    ResponseEntity<ImportView> cancel(@PathVariable UUID importId) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(view(imports.cancel(importId)));
    }

    private ImportView view(ImportJob job) {
        UUID id = job.getId();
        Instant end = job.getFinishedAt() != null ? job.getFinishedAt() : Instant.now();
        long elapsed = job.getStartedAt() == null ? 0 : Duration.between(job.getStartedAt(), end).toSeconds();
        Long eta = null;
        if (!job.getStatus().finished() && job.getPhotosDone() > 0) {
            eta = Math.round((double) elapsed / job.getPhotosDone() * (job.getPhotosTotal() - job.getPhotosDone()));
        }
        List<Refusal> refusals = report.firstRefusals(id, properties.refusalsShown()).stream()
                .map(l -> new Refusal(l.employeeId(), l.file(), l.problemCode(), l.detail())).toList();
        return new ImportView(id, job.getStatus(), job.getArchiveName(), job.isDetect(),
                job.getOnExisting().name().toLowerCase(Locale.ROOT), job.isDryRun(), job.getEmployeesTotal(),
                new Progress(job.getPhotosDone(), job.getPhotosTotal(), job.getEmployeesCreated(),
                        job.getFacesEnrolled(), job.getRefused(), report.refusedByCode(id), elapsed, eta),
                refusals, job.getReason(), job.getCreatedAt(), job.getStartedAt(), job.getFinishedAt());
    }

    private static String first(MultiValueMap<String, String> query, String name) {
        String v = query.getFirst(name);
        return v == null ? null : UriUtils.decode(v, StandardCharsets.UTF_8);
    }

    private static boolean bool(MultiValueMap<String, String> query, String name, boolean fallback) {
        String v = first(query, name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw DomainException.invalid(name + " must be true or false, got '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    private static ImportJob.OnExisting onExisting(String v) {
        if (v == null || v.isBlank()) {
            return ImportJob.OnExisting.SKIP;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "skip" -> ImportJob.OnExisting.SKIP;
            case "add" -> ImportJob.OnExisting.ADD;
            default -> throw DomainException.invalid("onExisting must be 'skip' or 'add', got '" + v + "'");
        };
    }

    private static String consent(MultiValueMap<String, String> query) {
        String v = first(query, "consentReference");
        if (v != null && v.length() > 500) {
            throw DomainException.invalid("consentReference is longer than 500 characters");
        }
        return v == null || v.isBlank() ? null : v.trim();
    }
}
