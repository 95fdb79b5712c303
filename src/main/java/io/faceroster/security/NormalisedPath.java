package io.faceroster.security;

import java.util.Locale;

/**
 * Whether a raw request path is in the normal form both the access filter and Spring MVC see alike (issue 10, item
 * 9): Tomcat normalises "/a/../b" before the filter judges it, Spring MVC matched the raw path, so
 * {@code GET /actuator/health/../env} reached a 500 and {@code POST /api/v1/admin/models/../activate} reached the
 * controller with version "..". No route needs any of these forms, so they are refused outright.
 */
final class NormalisedPath {

    private NormalisedPath() {
    }

    static boolean isNormalised(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return false;
        }
        String lower = rawPath.toLowerCase(Locale.ROOT);
        if (lower.contains(";") || lower.contains("//") || lower.contains("\\") || lower.contains("%2e")
                || lower.contains("%2f") || lower.contains("%5c") || lower.contains("%25") || lower.contains("%00")) {
            return false;
        }
        for (String segment : rawPath.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
