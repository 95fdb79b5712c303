package io.faceroster.imaging;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
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
import java.time.Duration;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes uploaded image bytes defensively: the format is recognised from the content (never the file name);
 * before any pixel is decoded the header is checked against the {@link ImageLimits} (pixel count, decoded bytes
 * from the bytes per pixel, aspect ratio and shortest side, pixels per compressed byte) and the working memory is
 * taken from the {@link DecodeBudget}, subsampling while decoding when the image alone would exceed a share of it;
 * WebP files are checked for consistent chunk sizes; decoder warnings such as a truncated JPEG count as failures;
 * JPEG EXIF orientation is applied. The caller closes the {@link DecodedImage} to give its memory back.
 */
public final class ImageDecoder {

    /** Formats accepted, by ImageIO format name. */
    public static final Set<String> FORMATS = Set.of("jpeg", "png", "bmp", "gif", "webp", "pnm");

    /** Formats whose ImageIO readers honour source subsampling (allocating only the subsampled raster). */
    private static final Set<String> SUBSAMPLING = Set.of("jpeg", "png", "bmp", "gif", "pnm");

    /**
     * Bytes per decoded pixel the work after decoding may take at once, beyond the decoded raster: a colour copy
     * (3), float planes of the resize (4 + 4) and the detector's padded copy (4), with a margin.
     */
    static final int WORKING_BYTES_PER_PIXEL = 16;

    private final ImageLimits limits;
    private final DecodeBudget budget;

    public ImageDecoder(ImageLimits limits, DecodeBudget budget) {
        this.limits = limits;
        this.budget = budget;
    }

    /** Default limits with {@code maxPixels}, and half the heap as budget (tools and tests). */
    public ImageDecoder(long maxPixels) {
        this(ImageLimits.defaults().withMaxPixels(maxPixels), DecodeBudget.ofHeap(0.5, Duration.ofMinutes(5)));
    }

    public DecodedImage decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new ImageRejected("image_missing", "the image part is empty");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageRejected("image_format_unsupported",
                        "not an image in a supported format (JPEG, PNG, BMP, GIF, WebP, PGM)");
            }
            ImageReader reader = readers.next();
            try {
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (FORMATS.stream().noneMatch(format::contains)) {
                    throw new ImageRejected("image_format_unsupported",
                            "image format '" + format + "' is not supported");
                }
                if (format.contains("webp")) {
                    WebpStructure.check(bytes);
                }
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width <= 0 || height <= 0) {
                    throw unreadable("the image header has no valid size");
                }
                limits.checkSize(width, height, bytes.length);
                int bytesPerPixel = bytesPerPixel(reader);
                limits.checkDecodedBytes(width, height, bytesPerPixel);
                int subsampling = subsampling(width * height, bytesPerPixel);
                if (subsampling > 1 && SUBSAMPLING.stream().noneMatch(format::contains)) {
                    throw tooLargeForMemory(width, height, bytesPerPixel);
                }
                long decodedPixels = ceilDiv(width, subsampling) * ceilDiv(height, subsampling);
                DecodeBudget.Permit permit = budget.acquire(
                        Math.multiplyExact(decodedPixels, (long) bytesPerPixel + WORKING_BYTES_PER_PIXEL));
                try {
                    BufferedImage image = read(reader, subsampling);
                    if (format.contains("jpeg") && subsampling == 1) {
                        image = applyExifOrientation(image, bytes);
                    }
                    return new DecodedImage(image, subsampling, permit);
                } catch (RuntimeException | IOException | Error e) {
                    permit.release();
                    throw e;
                }
            } finally {
                reader.dispose();
            }
        } catch (ImageRejected e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw unreadable("the image could not be decoded: " + e.getMessage());
        }
    }

    private static BufferedImage read(ImageReader reader, int subsampling) throws IOException {
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener(new IIOReadWarningListener() {
            @Override
            public void warningOccurred(ImageReader source, String warning) {
                warnings.add(warning);
            }
        });
        ImageReadParam param = reader.getDefaultReadParam();
        if (subsampling > 1) {
            param.setSourceSubsampling(subsampling, subsampling, 0, 0);
        }
        BufferedImage image = reader.read(0, param);
        if (!warnings.isEmpty()) {
            throw unreadable("the image data is damaged or truncated (" + warnings.get(0) + ")");
        }
        return image;
    }

    /**
     * 1 when the image and the work on it fit the budget's per-image share, else the smallest factor that makes
     * the subsampled image fit.
     */
    private int subsampling(long pixels, int bytesPerPixel) {
        long perPixel = bytesPerPixel + WORKING_BYTES_PER_PIXEL;
        long share = budget.perImageBytes();
        int s = 1;
        while (ceilDiv(pixels, (long) s * s) * perPixel > share) {
            s++;
            if (s > 64) {
                throw new ImageRejected("image_dimensions_too_large",
                        "the image cannot be decoded within the service's image memory budget");
            }
        }
        return s;
    }

    private ImageRejected tooLargeForMemory(long width, long height, int bytesPerPixel) {
        return new ImageRejected("image_dimensions_too_large", "image is " + width + "x"
                + height + " pixels of " + bytesPerPixel + " bytes; that exceeds the service's image memory budget ("
                + budget.perImageBytes() / (1024 * 1024) + " MiB per image)",
                Map.of("width", width, "height", height, "bytesPerPixel", bytesPerPixel));
    }

    /** Decoded bytes per pixel, from the reader's raw image type (16-bit RGBA PNG: 8); 4 when it gives none. */
    static int bytesPerPixel(ImageReader reader) throws IOException {
        ImageTypeSpecifier type = reader.getRawImageType(0);
        if (type == null) {
            Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
            type = types != null && types.hasNext() ? types.next() : null;
        }
        if (type == null) {
            return 4;
        }
        int bits = 0;
        for (int b = 0; b < type.getNumBands(); b++) {
            bits += Math.max(type.getBitsPerBand(b), 1);
        }
        // Packed and indexed rasters still take at least one byte (an int for packed RGB) per pixel.
        int bytes = (bits + 7) / 8;
        return Math.max(1, type.getSampleModel().getDataType() == java.awt.image.DataBuffer.TYPE_INT ? 4 : bytes);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    static ImageRejected unreadable(String detail) {
        return new ImageRejected("image_unreadable", detail);
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
