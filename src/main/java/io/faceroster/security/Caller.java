package io.faceroster.security;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Who is asking, for the audit trail and receipts: the id of the API key of the current HTTP request (never
 * the key) and its request id, or {@code system} for scheduled and background work.
 */
public final class Caller {

    static final String KEY_ID = Caller.class.getName() + ".keyId";
    static final String REQUEST_ID = Caller.class.getName() + ".requestId";
    static final String CLIENT_REQUEST_ID = Caller.class.getName() + ".clientRequestId";
    static final String ADMIN = Caller.class.getName() + ".admin";
    /** The key id recorded for a request refused before its key was known (missing or unknown key). */
    public static final String UNAUTHENTICATED = "unauthenticated";
    public static final String SYSTEM = "system";

    private Caller() {
    }

    public static String keyId() {
        Object v = attribute(KEY_ID);
        return v == null ? SYSTEM : v.toString();
    }

    public static String requestId() {
        Object v = attribute(REQUEST_ID);
        return v == null ? null : v.toString();
    }

    /** The request id a client sent in {@code X-Request-Id}, if sane; never used as the request id itself. */
    public static String clientRequestId() {
        Object v = attribute(CLIENT_REQUEST_ID);
        return v == null ? null : v.toString();
    }

    /** Whether the current request's key has the admin role (false outside a request). */
    public static boolean isAdmin() {
        return Boolean.TRUE.equals(attribute(ADMIN));
    }

    /** The key id of {@code request}, {@link #UNAUTHENTICATED} when none was accepted (for filters). */
    public static String keyId(jakarta.servlet.http.HttpServletRequest request) {
        Object v = request.getAttribute(KEY_ID);
        return v == null ? UNAUTHENTICATED : v.toString();
    }

    public static String requestId(jakarta.servlet.http.HttpServletRequest request) {
        Object v = request.getAttribute(REQUEST_ID);
        return v == null ? null : v.toString();
    }

    public static String clientRequestId(jakarta.servlet.http.HttpServletRequest request) {
        Object v = request.getAttribute(CLIENT_REQUEST_ID);
        return v == null ? null : v.toString();
    }

    private static Object attribute(String name) {
        RequestAttributes a = RequestContextHolder.getRequestAttributes();
        return a == null ? null : a.getAttribute(name, RequestAttributes.SCOPE_REQUEST);
    }
}
