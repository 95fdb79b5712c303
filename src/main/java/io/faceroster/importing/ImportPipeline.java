package io.faceroster.importing;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs an import's employees through {@link ImportRunner} with both cores busy: up to {@value #LOOKAHEAD} employees
 * ahead are decoded and searched for faces (their photos on {@code faceroster.import.threads} threads) while the
 * ones in hand are embedded (up to {@value #EMBED_BATCH} faces in one batch) and stored; each employee's report lines
 * and the job's counters commit together as it is done.
 */
@Component
class ImportPipeline implements DisposableBean {

    private static final int LOOKAHEAD = 3;
    private static final int EMBED_BATCH = 8;

    private final ImportRunner runner;
    private final ImportReport report;
    private final ImportJobRepository jobs;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ExecutorService preparers;
    private final ExecutorService photos;

    ImportPipeline(ImportRunner runner, ImportReport report, ImportJobRepository jobs, TransactionTemplate tx,
                   Clock clock, ImportProperties properties) {
        this.runner = runner;
        this.report = report;
        this.jobs = jobs;
        this.tx = tx;
        this.clock = clock;
        this.preparers = Executors.newFixedThreadPool(LOOKAHEAD, r -> ImportJobs.daemon(r, "import-employee"));
        this.photos = Executors.newFixedThreadPool(properties.workerThreads(), r -> ImportJobs.daemon(r,
                "import-photo"));
    }

    /** Handles every photo not yet in the report; returns how many photos this run handled. */
    int process(ImportJob job, ZipFile zip, ImportArchive.Contents contents, BooleanSupplier cancelled)
            throws Exception {
        // After a restart: only the photos not yet in the report (a shutdown may have cut an employee short).
        Set<String> done = report.photosDone(job.getId());
        List<ImportRunner.Employee> todo = new ArrayList<>();
        contents.photos().forEach((employeeId, photos) -> {
            List<ImportArchive.Photo> left = photos.stream().filter(p -> !done.contains(employeeId + "/" + p.file()))
                    .toList();
            if (!left.isEmpty()) {
                todo.add(new ImportRunner.Employee(employeeId, contents.employees().get(employeeId), left));
            }
        });
        int handled = 0;
        // Employees ahead are decoded and searched for faces while the ones in hand are embedded and stored.
        Deque<Future<ImportRunner.Prepared>> ahead = new ArrayDeque<>();
        int next = 0;
        while (ahead.size() < LOOKAHEAD && next < todo.size()) {
            ahead.add(prepare(job, zip, todo.get(next++), cancelled));
        }
        while (!ahead.isEmpty()) {
            List<ImportRunner.Prepared> group = new ArrayList<>();
            int faces = 0;
            do {
                ImportRunner.Prepared prepared = ahead.poll().get();
                group.add(prepared);
                faces += prepared.located().size();
                if (next < todo.size() && !cancelled.getAsBoolean()) {
                    ahead.add(prepare(job, zip, todo.get(next++), cancelled));
                }
            } while (!ahead.isEmpty() && faces < EMBED_BATCH && ahead.peek().isDone());
            List<ImportRunner.Done> outcomes = runner.store(job, group);
            for (ImportRunner.Done outcome : outcomes) {
                tx.executeWithoutResult(status -> {
                    report.add(job.getId(), outcome.lines());
                    jobs.findById(job.getId()).ifPresent(j -> j.count(outcome.lines().size(), outcome.created(),
                            outcome.enrolled(), outcome.refused(), clock.instant()));
                });
                handled += outcome.lines().size();
            }
        }
        return handled;
    }

    private Future<ImportRunner.Prepared> prepare(ImportJob job, ZipFile zip, ImportRunner.Employee employee,
                                                   BooleanSupplier cancelled) {
        return preparers.submit(() -> runner.prepare(job, zip, employee, photos, cancelled));
    }

    @Override
    public void destroy() {
        preparers.shutdown();
        photos.shutdown();
    }
}
