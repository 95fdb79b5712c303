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

    private static Object attribute(String name) {
        RequestAttributes a = RequestContextHolder.getRequestAttributes();
        return a == null ? null : a.getAttribute(name, RequestAttributes.SCOPE_REQUEST);
    }
}
