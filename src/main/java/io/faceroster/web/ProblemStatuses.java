package io.faceroster.web;

import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * The one table from the domain's problem codes ({@link io.faceroster.DomainException#code()}) to HTTP statuses:
 * domain code names what went wrong, only this package knows how HTTP says it.
 */
final class ProblemStatuses {

    private static final Map<String, HttpStatus> STATUS = Map.ofEntries(
            Map.entry("validation_failed", HttpStatus.BAD_REQUEST),
            Map.entry("threshold_out_of_range", HttpStatus.BAD_REQUEST),
            // images
            Map.entry("image_missing", HttpStatus.BAD_REQUEST),
            Map.entry("image_unreadable", HttpStatus.BAD_REQUEST),
            Map.entry("image_dimensions_too_large", HttpStatus.BAD_REQUEST),
            Map.entry("image_dimensions_unsupported", HttpStatus.BAD_REQUEST),
            Map.entry("too_many_images", HttpStatus.BAD_REQUEST),
            Map.entry("image_format_unsupported", HttpStatus.UNSUPPORTED_MEDIA_TYPE),
            Map.entry("decode_busy", HttpStatus.TOO_MANY_REQUESTS),
            // faces
            Map.entry("no_face", HttpStatus.UNPROCESSABLE_CONTENT),
            Map.entry("multiple_faces", HttpStatus.UNPROCESSABLE_CONTENT),
            Map.entry("face_too_small", HttpStatus.UNPROCESSABLE_CONTENT),
            Map.entry("low_quality", HttpStatus.UNPROCESSABLE_CONTENT),
            // employees and their faces
            Map.entry("employee_not_found", HttpStatus.NOT_FOUND),
            Map.entry("face_not_found", HttpStatus.NOT_FOUND),
            Map.entry("employee_exists", HttpStatus.CONFLICT),
            Map.entry("employee_not_enrolled", HttpStatus.CONFLICT),
            Map.entry("consent_required", HttpStatus.CONFLICT),
            Map.entry("employee_left", HttpStatus.CONFLICT),
            // training and models
            Map.entry("training_job_not_found", HttpStatus.NOT_FOUND),
            Map.entry("model_not_found", HttpStatus.NOT_FOUND),
            Map.entry("training_job_running", HttpStatus.CONFLICT),
            Map.entry("training_job_finished", HttpStatus.CONFLICT),
            Map.entry("calibration_evidence_missing", HttpStatus.CONFLICT),
            // bulk import
            Map.entry("archive_missing", HttpStatus.BAD_REQUEST),
            Map.entry("archive_too_large", HttpStatus.CONTENT_TOO_LARGE),
            Map.entry("archive_uncompressed_too_large", HttpStatus.CONTENT_TOO_LARGE),
            Map.entry("archive_too_many_entries", HttpStatus.CONTENT_TOO_LARGE),
            Map.entry("archive_unreadable", HttpStatus.BAD_REQUEST),
            Map.entry("archive_unsafe_path", HttpStatus.BAD_REQUEST),
            Map.entry("archive_symlink", HttpStatus.BAD_REQUEST),
            Map.entry("archive_nested", HttpStatus.BAD_REQUEST),
            Map.entry("archive_name_not_utf8", HttpStatus.BAD_REQUEST),
            Map.entry("archive_layout", HttpStatus.BAD_REQUEST),
            Map.entry("archive_empty", HttpStatus.BAD_REQUEST),
            Map.entry("employee_id_invalid", HttpStatus.BAD_REQUEST),
            Map.entry("csv_invalid", HttpStatus.BAD_REQUEST),
            Map.entry("import_not_found", HttpStatus.NOT_FOUND),
            Map.entry("import_busy", HttpStatus.TOO_MANY_REQUESTS),
            Map.entry("import_finished", HttpStatus.CONFLICT));

    private ProblemStatuses() {
    }

    /** The status of {@code code}; a code missing from the table is a client-side refusal (400) by default. */
    static HttpStatus of(String code) {
        return STATUS.getOrDefault(code, HttpStatus.BAD_REQUEST);
    }

    static boolean known(String code) {
        return STATUS.containsKey(code);
    }
}
