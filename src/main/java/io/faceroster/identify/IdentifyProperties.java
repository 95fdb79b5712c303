package io.faceroster.identify;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Matching ({@code faceroster.identify.*}).
 *
 * @param threshold distance threshold for identify and verify instead of the model's calibrated one (optional; a
 *                  threshold set through {@code /api/v1/admin/calibration} or a request's own takes precedence)
 */
@ConfigurationProperties("faceroster.identify")
public record IdentifyProperties(Double threshold) {
}
