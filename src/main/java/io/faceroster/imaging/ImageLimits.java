package io.faceroster.imaging;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an uploaded image's header may declare, checked before any pixel is decoded. A face photo is never a
 * 1-pixel-wide strip (which made every resize allocate in proportion to its length), never 16 bits a channel at
 * 40 megapixels, and never tens of megapixels in a few bytes (a damaged or forged header whose decoder would fill
 * the missing data with zeros).
 *
 * @param maxPixels         largest width x height
 * @param maxDecodedBytes   largest width x height x bytes per decoded pixel (16-bit RGBA: 8 bytes)
 * @param maxAspectRatio    longest side / shortest side at most this
 * @param minSide           shortest side at least this many pixels
 * @param maxPixelsPerByte  pixels per byte of the file at most this (only checked above 1 megapixel; a real photo
 *                          of a face compresses 10 to 100 times less)
 */
public record ImageLimits(long maxPixels, long maxDecodedBytes, double maxAspectRatio, int minSide,
                          double maxPixelsPerByte) {

    /** Pixel counts below this are never refused for their compression ratio. */
    static final long RATIO_CHECK_FROM_PIXELS = 1_000_000;

    public static ImageLimits defaults() {
        return new ImageLimits(40_000_000L, 160L * 1024 * 1024, 10, 16, 1000);
    }

    public ImageLimits withMaxPixels(long pixels) {
        return new ImageLimits(pixels, maxDecodedBytes, maxAspectRatio, minSide, maxPixelsPerByte);
    }

    /** Refuses the image with a client problem when its declared size breaks a limit. */
    void checkSize(long width, long height, long fileBytes) {
        long pixels = Math.multiplyExact(width, height);
        Map<String, Object> size = size(width, height);
        if (pixels > maxPixels) {
            size.put("maxPixels", maxPixels);
            throw tooLarge("image is " + width + "x" + height + " pixels; the limit is " + maxPixels + " pixels", size);
        }
        long shortest = Math.min(width, height);
        long longest = Math.max(width, height);
        if (shortest < minSide || longest > shortest * maxAspectRatio) {
            size.put("minSide", minSide);
            size.put("maxAspectRatio", maxAspectRatio);
            throw new ImageRejected("image_dimensions_unsupported", "image is " + width + "x"
                    + height + " pixels; a face photo needs at least " + minSide + " pixels a side and an aspect"
                    + " ratio of at most " + maxAspectRatio + ":1", size);
        }
        if (pixels > RATIO_CHECK_FROM_PIXELS && pixels > fileBytes * maxPixelsPerByte) {
            throw ImageDecoder.unreadable("the header declares " + width + "x" + height + " pixels, more than "
                    + fileBytes + " bytes of image data can hold; the file is damaged or forged");
        }
    }

    /** Refuses the image when its decoded raster ({@code bytesPerPixel} from the header) would exceed the limit. */
    void checkDecodedBytes(long width, long height, int bytesPerPixel) {
        long decoded = Math.multiplyExact(Math.multiplyExact(width, height), (long) bytesPerPixel);
        if (decoded > maxDecodedBytes) {
            Map<String, Object> size = size(width, height);
            size.put("bytesPerPixel", bytesPerPixel);
            size.put("maxDecodedBytes", maxDecodedBytes);
            throw tooLarge("image is " + width + "x" + height + " pixels of " + bytesPerPixel + " bytes (" + decoded
                    + " bytes decoded); the limit is " + maxDecodedBytes + " bytes", size);
        }
    }

    private static Map<String, Object> size(long width, long height) {
        Map<String, Object> size = new LinkedHashMap<>();
        size.put("width", width);
        size.put("height", height);
        return size;
    }

    private static ImageRejected tooLarge(String detail, Map<String, Object> properties) {
        return new ImageRejected("image_dimensions_too_large", detail, properties);
    }
}
