package io.faceroster.audit;

import io.faceroster.security.Caller;
import java.time.Clock;
import org.springframework.stereotype.Service;

/**
 * Appends to the audit trail: who (the API key id of the current request, or {@code system}), what, about
 * which employee, with which outcome, when, under which request id. Called after the action took effect.
 */
@Service
public class AuditLog {

    private final AuditEventRepository events;
    private final Clock clock;

    AuditLog(AuditEventRepository events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    public void record(AuditAction action, String employeeId, String outcome, String detail) {
        events.save(new AuditEvent(clock.instant(), Caller.keyId(), action.label(), employeeId, outcome,
                Caller.requestId(), detail));
    }

    /** The same, on behalf of a named background actor (e.g. {@code retention-purge}) rather than the caller. */
    public void recordAs(String actor, AuditAction action, String employeeId, String outcome, String detail) {
        events.save(new AuditEvent(clock.instant(), actor, action.label(), employeeId, outcome, Caller.requestId(),
                detail));
    }
}
