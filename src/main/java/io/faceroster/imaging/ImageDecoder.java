package io.faceroster.imaging;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import io.faceroster.web.ApiException;
import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import org.springframework.http.HttpStatus;

/**
 * Decodes uploaded image bytes defensively: the format is recognised from the content (never the file
 * name), the pixel count is checked from the header before any pixel is decoded (decompression bombs),
 * decoder warnings such as a truncated JPEG count as failures, and JPEG EXIF orientation is applied.
 */
public final class ImageDecoder {

    /** Formats accepted, by ImageIO format name. */
    public static final Set<String> FORMATS = Set.of("jpeg", "png", "bmp", "gif", "webp", "pnm");

    private final long maxPixels;

    public ImageDecoder(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    public BufferedImage decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw ApiException.badRequest("image_missing", "the image part is empty");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "image_format_unsupported",
                        "not an image in a supported format (JPEG, PNG, BMP, GIF, WebP, PGM)");
            }
            ImageReader reader = readers.next();
            try {
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (FORMATS.stream().noneMatch(format::contains)) {
                    throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "image_format_unsupported",
                            "image format '" + format + "' is not supported");
                }
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width <= 0 || height <= 0) {
                    throw unreadable("the image header has no valid size");
                }
                if (width * height > maxPixels) {
                    throw new ApiException(HttpStatus.BAD_REQUEST, "image_dimensions_too_large",
                            "image is " + width + "x" + height + " pixels; the limit is " + maxPixels + " pixels",
                            Map.of("width", width, "height", height, "maxPixels", maxPixels));
                }
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener(new IIOReadWarningListener() {
                    @Override
                    public void warningOccurred(ImageReader source, String warning) {
                        warnings.add(warning);
                    }
                });
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw unreadable("the image data is damaged or truncated (" + warnings.get(0) + ")");
                }
                return format.contains("jpeg") ? applyExifOrientation(image, bytes) : image;
            } finally {
                reader.dispose();
            }
        } catch (ApiException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw unreadable("the image could not be decoded: " + e.getMessage());
        }
    }

    private static ApiException unreadable(String detail) {
        return ApiException.badRequest("image_unreadable", detail);
    }

    /** Turns the pixels upright according to the EXIF orientation tag (phone cameras store them sideways). */
    static BufferedImage applyExifOrientation(BufferedImage image, byte[] bytes) {
        int orientation = 1;
        try {
            Metadata metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes));
            ExifIFD0Directory exif = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
            if (exif != null && exif.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                orientation = exif.getInt(ExifIFD0Directory.TAG_ORIENTATION);
            }
        } catch (Exception e) {
            return image; // unreadable metadata: keep the pixels as stored
        }
        if (orientation <= 1 || orientation > 8) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        AffineTransform t = new AffineTransform();
        switch (orientation) {
            case 2 -> { t.translate(w, 0); t.scale(-1, 1); }
            case 3 -> { t.translate(w, h); t.rotate(Math.PI); }
            case 4 -> { t.translate(0, h); t.scale(1, -1); }
            case 5 -> { t.rotate(-Math.PI / 2); t.scale(-1, 1); }
            case 6 -> { t.translate(h, 0); t.rotate(Math.PI / 2); }
            case 7 -> { t.scale(-1, 1); t.translate(-h, 0); t.translate(0, w); t.rotate(3 * Math.PI / 2); }
            case 8 -> { t.translate(0, w); t.rotate(3 * Math.PI / 2); }
            default -> { }
        }
        boolean swap = orientation >= 5;
        BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_RGB);
        new AffineTransformOp(t, AffineTransformOp.TYPE_NEAREST_NEIGHBOR).filter(toRgb(image), out);
        return out;
    }

    private static BufferedImage toRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(image, 0, 0, null);
        return rgb;
    }
}
