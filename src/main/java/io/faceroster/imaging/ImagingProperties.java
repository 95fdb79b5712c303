package io.faceroster.imaging;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits on uploaded images ({@code faceroster.imaging.*}). The byte limit of a whole request is Spring's
 * {@code spring.servlet.multipart.max-request-size}.
 *
 * @param maxPixels         largest width x height decoded; larger images are refused from their header
 * @param maxImagesPerRequest most image parts accepted in one enrolment
 */
@ConfigurationProperties("faceroster.imaging")
public record ImagingProperties(@DefaultValue("40000000") long maxPixels,
                                @DefaultValue("10") int maxImagesPerRequest) {
}
