package io.faceroster.security;

/**
 * What a request needs, from its method and path. Open: Actuator health (load balancers, the Docker health
 * check) and the OpenAPI description. Everything else needs a key, most paths a role.
 */
final class AccessPolicy {

    enum Need {
        OPEN(null), ANY_KEY(null), ENROLL(Role.ENROLL), IDENTIFY(Role.IDENTIFY), ADMIN(Role.ADMIN);

        final Role role;

        Need(Role role) {
            this.role = role;
        }
    }

    private AccessPolicy() {
    }

    static Need of(String method, String path) {
        if (path.equals("/actuator/health") || path.startsWith("/actuator/health/")
                || path.equals("/v3/api-docs") || path.startsWith("/v3/api-docs/")
                || path.equals("/swagger-ui.html") || path.startsWith("/swagger-ui/")) {
            return Need.OPEN;
        }
        if (path.equals("/api/v1/admin/imports") || path.startsWith("/api/v1/admin/imports/")) {
            return Need.ENROLL;   // bulk import: HR's job as much as an admin's
        }
        if (path.equals("/api/v1/admin") || path.startsWith("/api/v1/admin/") || path.startsWith("/actuator")) {
            return Need.ADMIN;
        }
        if (method.equals("POST") && (path.equals("/api/v1/identify")
                || path.matches("/api/v1/employees/[^/]+/verify"))) {
            return Need.IDENTIFY;
        }
        if (path.equals("/api/v1/employees") || path.startsWith("/api/v1/employees/")) {
            return Need.ENROLL;
        }
        if (method.equals("GET") && path.equals("/api/v1/model")) {
            return Need.ANY_KEY;
        }
        return Need.ADMIN;
    }
}
