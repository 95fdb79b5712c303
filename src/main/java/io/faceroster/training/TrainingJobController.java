package io.faceroster.training;

import io.faceroster.Paging;
import io.faceroster.model.ModelMetadata;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Admin endpoints: retraining jobs and model versions (list, activate = rollback or roll forward). */
@RestController
@RequestMapping("/api/v1/admin")
class TrainingJobController {

    private final TrainingJobs jobs;
    private final TrainingJobRepository repository;
    private final ModelVersions versions;

    TrainingJobController(TrainingJobs jobs, TrainingJobRepository repository, ModelVersions versions) {
        this.jobs = jobs;
        this.repository = repository;
        this.versions = versions;
    }

    record Submitted(UUID jobId, TrainingJob.Status status) {
    }

    /** {@code phase}: what a running job is doing now (reading data, training, validating, promoting, rolling back). */
    record JobView(UUID jobId, TrainingJob.Status status, String phase, TrainingRequest request,
                   TowerTrainer.Progress progress, CandidateRun.Validation validation, String candidateVersion,
                   boolean promoted, String reason, Instant createdAt, Instant startedAt, Instant finishedAt) {
    }

    record JobPage(List<JobView> items, int page, int size, long total) {
    }

    record ModelVersion(String version, String architecture, int embeddingDimension, double threshold,
                        Map<String, Map<String, Double>> evaluation, Instant createdAt, boolean active) {
    }

    record ModelList(String activeVersion, List<ModelVersion> items) {
    }

    @PostMapping("/training-jobs")
    ResponseEntity<Submitted> submit(@RequestBody(required = false) TrainingRequest request) {
        TrainingJob job = jobs.submit(request);
        return ResponseEntity.accepted().location(URI.create("/api/v1/admin/training-jobs/" + job.getId()))
                .body(new Submitted(job.getId(), job.getStatus()));
    }

    @GetMapping("/training-jobs")
    JobPage list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        Paging.check(page, size, 100);
        var result = repository.findAllByOrderByCreatedAtDesc(PageRequest.of(page, size));
        return new JobPage(result.getContent().stream().map(this::view).toList(), page, size,
                result.getTotalElements());
    }

    @GetMapping("/training-jobs/{jobId}")
    JobView get(@PathVariable UUID jobId) {
        return view(jobs.find(jobId));
    }

    @PostMapping("/training-jobs/{jobId}/cancel")
    ResponseEntity<JobView> cancel(@PathVariable UUID jobId) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(view(jobs.cancel(jobId)));
    }

    @GetMapping("/models")
    ModelList models() {
        String active = versions.activeVersion();
        return new ModelList(active, versions.list().stream().map(m -> new ModelVersion(m.version(),
                m.architecture().name(), m.embeddingDimension(), m.threshold(), m.evaluation(), m.createdAt(),
                m.version().equals(active))).toList());
    }

    @PostMapping("/models/{version}/activate")
    ModelVersion activate(@PathVariable String version) throws IOException {
        ModelMetadata m = versions.activate(version);
        return new ModelVersion(m.version(), m.architecture().name(), m.embeddingDimension(), m.threshold(),
                m.evaluation(), m.createdAt(), true);
    }

    private JobView view(TrainingJob job) {
        TrainingJobs.Shown shown = jobs.show(job);
        return new JobView(job.getId(), job.getStatus(), shown.phase(), jobs.request(job), shown.progress(),
                jobs.validation(job), job.getCandidateVersion(), job.isPromoted(), job.getReason(), job.getCreatedAt(),
                job.getStartedAt(), job.getFinishedAt());
    }
}
