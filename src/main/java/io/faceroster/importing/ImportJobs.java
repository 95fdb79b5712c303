package io.faceroster.importing;

import io.faceroster.DomainException;
import io.faceroster.audit.AuditAction;
import io.faceroster.audit.AuditLog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Bulk imports: an upload is streamed to a private file, checked whole (nothing is stored from a bad archive), and
 * queued; imports run one at a time on this replica (the archive is on its disk), employee by employee, the next
 * employee's photos decoded while the current one's are embedded and stored. Progress and the report are written as
 * each employee is done, so a cancel (honoured after the photo in hand) or a crash keeps everything committed. At
 * start-up an unfinished import whose archive is still here resumes: photos already in the report are skipped,
 * photos stored but not yet reported are recognised by their content hash. Which replica holds an
 * import is {@link ImportCustody}'s; the per-employee work is {@link ImportPipeline}'s and {@link ImportRunner}'s.
 */
@Service
class ImportJobs implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ImportJobs.class);

    /** What a caller asks of an import besides the archive. */
    record Options(boolean detect, ImportJob.OnExisting onExisting, boolean dryRun, String consentReference) {
    }

    private final ImportJobRepository jobs;
    private final ImportPipeline pipeline;
    private final ImportProperties properties;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final AuditLog audit;
    private final ImportCustody custody;
    private final Set<UUID> cancelRequests = ConcurrentHashMap.newKeySet();
    private final AtomicInteger uploading = new AtomicInteger();
    private final ExecutorService queue = Executors.newSingleThreadExecutor(r -> daemon(r, "import-job"));
    private volatile boolean running;

    ImportJobs(ImportJobRepository jobs, ImportPipeline pipeline, ImportProperties properties,
               TransactionTemplate tx, Clock clock, AuditLog audit, ImportCustody custody) {
        this.custody = custody;
        this.jobs = jobs;
        this.pipeline = pipeline;
        this.properties = properties;
        this.tx = tx;
        this.clock = clock;
        this.audit = audit;
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Streams the multipart body's archive to disk, checks it, and queues the import. */
    ImportJob submit(InputStream body, String contentType, Options options, String createdBy) throws IOException {
        if (uploading.incrementAndGet() + custody.held() > properties.maxPending()) {
            uploading.decrementAndGet();
            throw new DomainException("import_busy", "this replica already has " + properties.maxPending()
                    + " imports uploading, queued or running (faceroster.import.max-pending); try again when one has "
                    + "ended");
        }
        UUID id = UUID.randomUUID();
        Path archive = folder().resolve(id + ".zip");
        try {
            MultipartArchive.Received received = MultipartArchive.receive(body, contentType, archive,
                    properties.maxArchiveSize().toBytes());
            ImportArchive.Contents contents = ImportArchive.check(archive, properties);
            if (contents.photoCount() == 0) {
                throw new ArchiveRejected("archive_empty", "the archive holds no photo in an <employeeId>/ folder; "
                        + "nothing was stored");
            }
            ImportJob job = jobs.save(new ImportJob(id, createdBy, received.filename(), archive.toString(),
                    options.detect(), options.onExisting(), options.dryRun(), options.consentReference(),
                    contents.photos().size(), contents.photoCount(), clock.instant()));
            audit.record(AuditAction.IMPORT_START, null, "queued", "import " + id + ": " + contents.photos().size()
                    + " employees, " + contents.photoCount() + " photos" + (options.dryRun() ? ", dry run" : ""));
            custody.hold(id);
            queue.submit(() -> run(id));
            return job;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(archive);
            throw e;
        } finally {
            uploading.decrementAndGet();
        }
    }

    ImportJob find(UUID id) {
        return jobs.findById(id).orElseThrow(() -> new DomainException("import_not_found", "no import " + id,
                Map.of("importId", id.toString())));
    }

    ImportJob cancel(UUID id) {
        ImportJob job = tx.execute(status -> {
            ImportJob j = find(id);
            if (j.getStatus().finished()) {
                throw new DomainException("import_finished", "import " + id + " already ended " + j.getStatus(),
                        Map.of("importId", id.toString()));
            }
            j.requestCancel();
            return j;
        });
        cancelRequests.add(id);
        return job;
    }

    private Path folder() throws IOException {
        Path folder = Files.createDirectories(properties.folder());
        try {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
        return folder;
    }

    private void run(UUID id) {
        ImportJob job = tx.execute(status -> {
            ImportJob j = jobs.findById(id).orElse(null);
            if (j == null || j.getStatus().finished()) {
                return null;
            }
            j.start(clock.instant(), custody.replicaId());
            return j;
        });
        if (job == null) {
            return;
        }
        Path archive = Path.of(job.getArchivePath());
        ImportJob.Status outcome;
        String reason;
        try (ZipFile zip = ImportArchive.open(archive)) {
            ImportArchive.Contents contents = ImportArchive.check(archive, properties);
            int handled = pipeline.process(job, zip, contents, () -> isCancelled(id));
            boolean cancelled = isCancelled(id);
            outcome = cancelled ? ImportJob.Status.CANCELLED : ImportJob.Status.SUCCEEDED;
            reason = cancelled ? "cancelled after " + handled + " of " + contents.photoCount() + " photos; what the "
                    + "report lists was handled and stays" : null;
        } catch (Exception e) {
            log.error("Import {} failed", id, e);
            outcome = ImportJob.Status.FAILED;
            reason = "failed: " + e.getMessage() + "; what the report lists was handled and stays";
        }
        finish(id, outcome, reason, archive);
    }

    private boolean isCancelled(UUID id) {
        if (!running) {
            return true;
        }
        if (cancelRequests.contains(id)) {
            return true;
        }
        boolean requested = jobs.findById(id).map(ImportJob::isCancelRequested).orElse(true);
        if (requested) {
            cancelRequests.add(id);
        }
        return requested;
    }

    private void finish(UUID id, ImportJob.Status outcome, String reason, Path archive) {
        if (!running) {
            // Stopped by a shutdown, not by a person: left RUNNING with its archive, it resumes at the next start.
            log.info("Import {} paused by the shutdown; it resumes at the next start", id);
            return;
        }
        custody.drop(id);   // before the status commits: whoever sees it ended may submit the next import
        ImportJob job = tx.execute(status -> {
            ImportJob j = find(id);
            j.finish(outcome, reason, clock.instant());
            return j;
        });
        cancelRequests.remove(id);
        try {
            Files.deleteIfExists(archive);
        } catch (IOException e) {
            log.warn("Import {}: could not delete its archive {}: {}", id, archive, e.toString());
        }
        audit.recordAs(job.getCreatedBy(), AuditAction.IMPORT_END, null, outcome.name().toLowerCase(),
                "import " + id + ": " + job.getPhotosDone() + " of " + job.getPhotosTotal() + " photos, "
                        + job.getFacesEnrolled() + " faces enrolled, " + job.getEmployeesCreated()
                        + " employees created, " + job.getRefused() + " refused" + (reason == null ? "" : "; " + reason));
        log.info("Import {} ended {}", id, outcome);
    }

    /**
     * Resumes unfinished imports whose archive is on this replica's disk; fails those whose archive is elsewhere once
     * the replica running them has stopped reporting for {@code faceroster.replication.replica-timeout}.
     */
    @Override
    public void start() {
        running = true;
        custody.start(id -> queue.submit(() -> run(id)), (id, reason) -> tx.executeWithoutResult(status ->
                find(id).finish(ImportJob.Status.FAILED, reason, clock.instant())));
    }

    @Override
    public void stop() {
        running = false;
        queue.shutdown();
        try {
            // The employee in hand is finished (its faces and report lines commit together) before the model closes.
            queue.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        custody.stop();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
