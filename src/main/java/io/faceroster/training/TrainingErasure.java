package io.faceroster.training;

import io.faceroster.employee.ErasureHook;
import io.faceroster.model.ModelMetadata;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Training's part of an erasure: a job that learns from the employee's faces is stopped and its candidate
 * discarded (if its promotion is under way, it is rolled back), whether it runs on this replica or another (which
 * reads the request within a heartbeat); model versions trained with their faces are named in the receipt, so
 * it says where their data still shapes weights. Jobs know people by pseudonym only.
 */
@Component
class TrainingErasure implements ErasureHook {

    /** How an erasure's cancel request names the erased person in a job row. */
    static final String PREFIX = "erasure of ";

    private final TrainingWorker worker;
    private final TrainingJobRepository jobs;
    private final ModelVersions versions;
    private final Pseudonyms pseudonyms;
    private final TransactionTemplate tx;

    TrainingErasure(TrainingWorker worker, TrainingJobRepository jobs, ModelVersions versions, Pseudonyms pseudonyms,
                    TransactionTemplate tx) {
        this.worker = worker;
        this.jobs = jobs;
        this.versions = versions;
        this.pseudonyms = pseudonyms;
        this.tx = tx;
    }

    @Override
    public Result employeeErased(String employeeId) {
        List<String> removed = new ArrayList<>();
        List<String> traces = new ArrayList<>();
        String name = pseudonyms.of(employeeId);
        RunningJob here = worker.current();
        if (here != null && here.erased(name)) {
            removed.add("training job " + here.id + " (cancelled; its candidate model is discarded)");
        }
        tx.executeWithoutResult(status -> jobs.findByStatusIn(List.of(TrainingJob.Status.RUNNING)).forEach(job -> {
            if (here == null || !here.id.equals(job.getId())) {
                job.requestCancel(PREFIX + name);
                removed.add("training job " + job.getId() + " on replica " + job.getRunner() + " (asked to stop if "
                        + "it learns from their faces; its candidate is then discarded, or rolled back if promoted)");
            }
        }));
        String legacyName = Pseudonyms.legacy(employeeId);
        String active = versions.activeVersion();
        for (ModelMetadata m : versions.list()) {
            ModelMetadata.Training t = m.training();
            if (t != null && (t.trainPersons().contains(name) || t.validationPersons().contains(name)
                    || t.trainPersons().contains(legacyName) || t.validationPersons().contains(legacyName))) {
                traces.add("model version " + m.version() + (m.version().equals(active) ? " (active)" : "")
                        + " was trained with their faces: roll back or retrain to remove them from its weights");
            }
        }
        return new Result(removed, traces);
    }
}
