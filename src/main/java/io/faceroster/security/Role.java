package io.faceroster.security;

import java.util.Locale;

/** What an API key may do. {@code admin} may do everything. */
public enum Role {
    /** Employees and their faces: create, rename, enrol, list, delete. */
    ENROLL,
    /** Identify and verify. */
    IDENTIFY,
    /** Training jobs, models, the audit log, Actuator beyond health, and everything the other roles may. */
    ADMIN;

    static Role parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown role '" + text.trim() + "' (known: enroll, identify, admin)");
        }
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
