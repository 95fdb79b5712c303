package io.faceroster.audit;

import java.util.Locale;

/** What an audit event records. Stored and shown in lower case ({@code employee_delete}). */
public enum AuditAction {
    EMPLOYEE_CREATE, EMPLOYEE_UPDATE, CONSENT_RECORD, EMPLOYEE_LEFT, ENROL, FACE_DELETE, EMPLOYEE_DELETE,
    RETENTION_PURGE, IDENTIFY, VERIFY, TRAINING_JOB_START, TRAINING_JOB_END, MODEL_ACTIVATION,
    ENCRYPTION_ROTATE, THRESHOLD_SET, THRESHOLD_RESET, IMPORT_START, IMPORT_END,
    /** A request refused with 401 or 403 (issue 10, item 7); key id {@code unauthenticated} when no key was known. */
    ACCESS_REFUSED,
    /** Reads of personal data and of the trail itself (issue 10, item 7). */
    EMPLOYEE_LIST, EMPLOYEE_READ, FACE_LIST, FACE_IMAGE_READ, AUDIT_READ;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static AuditAction parse(String label) {
        return valueOf(label.trim().toUpperCase(Locale.ROOT));
    }
}
