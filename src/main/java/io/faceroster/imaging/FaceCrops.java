package io.faceroster.imaging;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * The normalised face crop FaceRoster stores and embeds: grey, 92x112 (the geometry of the ORL images the
 * tower is trained on). Each tower resizes it to its own input. {@link FaceAligner} makes it from a detected
 * face; {@link #wholeImage} from an upload that already is a crop ({@code detect=false}).
 */
public final class FaceCrops {

    public static final int WIDTH = 92;
    public static final int HEIGHT = 112;

    private FaceCrops() {
    }

    public static GreyImage wholeImage(BufferedImage image) {
        return Resampling.resize(GreyImage.of(image), WIDTH, HEIGHT);
    }

    public static byte[] toPng(GreyImage crop) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(crop.toBufferedImage(), "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static GreyImage fromPng(byte[] png) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            if (image == null) {
                throw new IOException("stored crop is not a PNG");
            }
            return GreyImage.of(image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
