package io.faceroster.gallery;

import io.faceroster.DomainException;

/**
 * A calibration request that cannot be carried out: {@code validation_failed} (the request is wrong) or
 * {@code calibration_evidence_missing} (the gallery cannot support it).
 */
public class CalibrationException extends DomainException {

    public CalibrationException(String code, String message) {
        super(code, message);
    }
}
