package io.faceroster.imaging;

import io.faceroster.DomainException;
import java.util.Map;

/**
 * An uploaded image that cannot be used as such: {@code image_missing}, {@code image_unreadable},
 * {@code image_format_unsupported}, {@code image_dimensions_too_large}, {@code image_dimensions_unsupported}, or
 * {@code decode_busy} when the decoding memory stayed taken.
 */
public class ImageRejected extends DomainException {

    public ImageRejected(String code, String detail) {
        super(code, detail);
    }

    public ImageRejected(String code, String detail, Map<String, Object> properties) {
        super(code, detail, properties);
    }
}
