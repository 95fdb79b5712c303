package io.faceroster.imaging;

import java.awt.image.BufferedImage;

/**
 * A decoded upload and the share of the {@link DecodeBudget} its pixels and the work on them may use; closing it
 * gives the share back. {@code scale} is how many uploaded pixels one decoded pixel stands for along each axis (1
 * unless the decoder subsampled an image too large for the budget): face boxes are reported in uploaded pixels.
 */
public final class DecodedImage implements AutoCloseable {

    private final BufferedImage image;
    private final int scale;
    private final DecodeBudget.Permit permit;

    DecodedImage(BufferedImage image, int scale, DecodeBudget.Permit permit) {
        this.image = image;
        this.scale = scale;
        this.permit = permit;
    }

    /** An image decoded outside the budget (tools, tests). */
    public static DecodedImage unbudgeted(BufferedImage image) {
        return new DecodedImage(image, 1, null);
    }

    public BufferedImage image() {
        return image;
    }

    public int scale() {
        return scale;
    }

    @Override
    public void close() {
        if (permit != null) {
            permit.release();
        }
    }
}
