package io.faceroster.training;

import java.util.Set;
import java.util.UUID;

/**
 * The training job running on this replica: what it is doing, its live progress, and the requests to stop it
 * (cancellation from any replica, or an erasure of someone whose faces it learns from). Shared by the worker
 * that runs it, the views that show it and the erasure hook.
 */
final class RunningJob {

    final UUID id;
    private volatile Set<String> persons;   // the data set's person names (pseudonyms); null while still reading
    private volatile String stopReason;
    private volatile String erasedPerson;
    private volatile String phase = "starting";
    private volatile TowerTrainer.Progress progress;
    private boolean promoted;   // guarded by this

    RunningJob(UUID id) {
        this.id = id;
    }

    void dataRead(Set<String> personNames) {
        this.persons = Set.copyOf(personNames);
    }

    /**
     * The person named {@code pseudonym} ({@code *}: someone unnamed) was erased. True when the job learns (or may learn) from their faces
     * and has not finished promoting: it then stops and discards its candidate, or rolls the promotion back.
     */
    synchronized boolean erased(String pseudonym) {
        Set<String> p = persons;
        if (promoted || (p != null && !p.contains(pseudonym) && !pseudonym.equals("*"))) {
            return false;
        }
        erasedPerson = pseudonym;
        return true;
    }

    /** Marks the promotion done unless an erasure came first (then the caller rolls it back). */
    synchronized boolean promotedUnlessErased() {
        promoted = erasedPerson == null;
        return promoted;
    }

    boolean erasureSeen() {
        return erasedPerson != null;
    }

    void stop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    /** Why the job was asked to stop (cancelled, service stopping, lease lost), or null. */
    String stopReason() {
        return stopReason;
    }

    boolean stopRequested() {
        return stopReason != null || erasedPerson != null;
    }

    String phase() {
        return phase;
    }

    void phase(String now) {
        phase = now;
    }

    TowerTrainer.Progress progress() {
        return progress;
    }

    void progress(TowerTrainer.Progress now) {
        progress = now;
    }
}
