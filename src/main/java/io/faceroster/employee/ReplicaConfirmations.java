package io.faceroster.employee;

import io.faceroster.replication.ChangeLog;
import io.faceroster.replication.ReplicationProperties;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The erasure receipt's word on the other replicas: waits up to {@code erasure-confirm-wait} for every live
 * replica to have applied the erasure's change-log row, then lists each as {@code replica NAME} (confirmed: it no
 * longer matches the employee) or {@code replica NAME (pending)}. A single replica lists nothing.
 */
@Component
class ReplicaConfirmations implements ErasureHook {

    private final ChangeLog changes;
    private final ReplicationProperties properties;
    private final Clock clock;

    ReplicaConfirmations(ChangeLog changes, ReplicationProperties properties, Clock clock) {
        this.changes = changes;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public Result employeeErased(String employeeId) {
        long change = changes.latestFor(employeeId);
        if (change == 0) {
            return new Result(List.of(), List.of());
        }
        long deadline = System.nanoTime() + properties.erasureConfirmWait().toNanos();
        List<ChangeLog.Replica> others;
        while (true) {
            others = changes.liveReplicas(clock.instant().minus(properties.replicaTimeout())).stream()
                    .filter(r -> !r.replicaId().equals(changes.replicaId())).toList();
            boolean all = others.stream().allMatch(r -> r.appliedChange() >= change);
            if (all || System.nanoTime() > deadline) {
                break;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<String> out = new ArrayList<>();
        for (ChangeLog.Replica r : others) {
            out.add("replica " + r.replicaId() + (r.appliedChange() >= change ? "" : " (pending)"));
        }
        return new Result(out, List.of());
    }
}
