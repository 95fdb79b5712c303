package io.faceroster.audit;

import io.faceroster.DomainException;
import io.faceroster.Paging;
import jakarta.persistence.criteria.Predicate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit trail, newest first, for admins. There is no endpoint that changes or deletes it. */
@RestController
class AuditController {

    static final int MAX_PAGE_SIZE = 200;

    private final AuditEventRepository events;

    AuditController(AuditEventRepository events) {
        this.events = events;
    }

    record Event(long id, Instant occurredAt, String keyId, String action, String employeeId, String outcome,
                 String requestId, String clientRequestId, String detail) {
        static Event of(AuditEvent e) {
            return new Event(e.getId(), e.getOccurredAt(), e.getKeyId(), e.getAction(), e.getEmployeeId(),
                    e.getOutcome(), e.getRequestId(), e.getClientRequestId(), e.getDetail());
        }
    }

    record EventPage(List<Event> items, int page, int size, long total) {
    }

    @GetMapping("/api/v1/admin/audit")
    EventPage list(@RequestParam(required = false) String employeeId,
                   @RequestParam(required = false) String action,
                   @RequestParam(required = false) String from,
                   @RequestParam(required = false) String to,
                   @RequestParam(name = "since", required = false) String sinceAlias,
                   @RequestParam(name = "until", required = false) String untilAlias,
                   @RequestParam(defaultValue = "0") int page,
                   @RequestParam(defaultValue = "50") int size) {
        // since/until are accepted as other names for from/to.
        from = from != null ? from : sinceAlias;
        to = to != null ? to : untilAlias;
        Paging.check(page, size, MAX_PAGE_SIZE);
        String actionLabel = null;
        if (action != null) {
            try {
                actionLabel = AuditAction.parse(action).label();
            } catch (IllegalArgumentException e) {
                throw DomainException.invalid("unknown action '" + action + "'; known: "
                        + Arrays.stream(AuditAction.values()).map(AuditAction::label).toList());
            }
        }
        Instant since = instant("from", from);
        Instant until = instant("to", to);
        String actionFilter = actionLabel;
        Specification<AuditEvent> filter = (root, query, cb) -> {
            List<Predicate> p = new ArrayList<>();
            if (employeeId != null) {
                p.add(cb.equal(root.get("employeeId"), employeeId));
            }
            if (actionFilter != null) {
                p.add(cb.equal(root.get("action"), actionFilter));
            }
            if (since != null) {
                p.add(cb.greaterThanOrEqualTo(root.get("occurredAt"), since));
            }
            if (until != null) {
                p.add(cb.lessThan(root.get("occurredAt"), until));
            }
            return cb.and(p.toArray(Predicate[]::new));
        };
        var result = events.findAll(filter, PageRequest.of(page, size, Sort.by(Sort.Order.desc("occurredAt"),
                Sort.Order.desc("id"))));
        return new EventPage(result.getContent().stream().map(Event::of).toList(), page, size,
                result.getTotalElements());
    }

    private static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw DomainException.invalid(name + " must be an ISO-8601 instant such as "
                    + "2026-11-29T08:00:00Z");
        }
    }
}
