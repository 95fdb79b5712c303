package io.faceroster.gallery;

/** A calibration request that cannot be carried out, with the problem code the API answers with. */
public class CalibrationException extends RuntimeException {

    /** {@code INVALID}: the request is wrong (400); {@code CONFLICT}: the gallery cannot support it (409). */
    public enum Kind { INVALID, CONFLICT }

    private final Kind kind;
    private final String code;

    public CalibrationException(Kind kind, String code, String message) {
        super(message);
        this.kind = kind;
        this.code = code;
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }
}
