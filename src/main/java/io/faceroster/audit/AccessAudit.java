package io.faceroster.audit;

import io.faceroster.security.Caller;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The audit events no controller writes (issue 10, item 7): requests refused with 401 or 403, reads of personal data
 * (employee lists and records, face lists, stored face images) and of the audit trail itself, and failed enrolments,
 * identifications and verifications. Runs around the access filter, so it sees its refusals; records after the
 * response status is known. Successful enrolments, identifications and verifications are recorded by their
 * controllers, with more detail.
 */
class AccessAudit extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(AccessAudit.class);

    /** A route this filter audits: method, path (group 1, if any, is the employee id) and the action. */
    private record Route(String method, Pattern path, AuditAction action, boolean onSuccess) {
    }

    private static final String ID = "([^/]+)";
    private static final List<Route> ROUTES = List.of(
            new Route("GET", Pattern.compile("/api/v1/employees/?"), AuditAction.EMPLOYEE_LIST, true),
            new Route("GET", Pattern.compile("/api/v1/employees/" + ID), AuditAction.EMPLOYEE_READ, true),
            new Route("GET", Pattern.compile("/api/v1/employees/" + ID + "/faces"), AuditAction.FACE_LIST, true),
            new Route("GET", Pattern.compile("/api/v1/employees/" + ID + "/faces/[^/]+/image"),
                    AuditAction.FACE_IMAGE_READ, true),
            new Route("GET", Pattern.compile("/api/v1/admin/audit"), AuditAction.AUDIT_READ, true),
            new Route("POST", Pattern.compile("/api/v1/employees/" + ID + "/faces"), AuditAction.ENROL, false),
            new Route("POST", Pattern.compile("/api/v1/employees/" + ID + "/verify"), AuditAction.VERIFY, false),
            new Route("POST", Pattern.compile("/api/v1/identify"), AuditAction.IDENTIFY, false));

    private final AuditLog audit;

    AccessAudit(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } finally {
            try {
                recordIfAudited(request, response.getStatus());
            } catch (RuntimeException e) {
                // The answer is already given; a failed audit write is logged, not turned into another answer.
                log.error("could not record the audit event of {} {}", request.getMethod(), request.getRequestURI(), e);
            }
        }
    }

    private void recordIfAudited(HttpServletRequest request, int status) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        String what = request.getMethod() + " " + request.getRequestURI();
        if (status == 401 || status == 403) {
            audit.recordRequest(Caller.keyId(request), Caller.requestId(request), Caller.clientRequestId(request),
                    AuditAction.ACCESS_REFUSED, employeeOf(path), "refused " + status, what);
            return;
        }
        for (Route r : ROUTES) {
            Matcher m = r.path().matcher(path);
            if (r.method().equals(request.getMethod()) && m.matches()) {
                boolean success = status >= 200 && status < 300;
                if (success == r.onSuccess()) {
                    String employee = m.groupCount() > 0 ? m.group(1) : null;
                    audit.recordRequest(Caller.keyId(request), Caller.requestId(request),
                            Caller.clientRequestId(request), r.action(), employee,
                            success ? "read" : "failed " + status, what);
                }
                return;
            }
        }
    }

    private static String employeeOf(String path) {
        Matcher m = Pattern.compile("/api/v1/employees/([^/]+).*").matcher(path);
        return m.matches() ? m.group(1) : null;
    }
}
