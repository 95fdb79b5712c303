package io.faceroster.testsupport;

import io.faceroster.imaging.GreyImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Encodes generated faces as files, and finds the ORL data set when it is there. */
public final class TestImages {

    /** The ORL database beside the project ({@code ../shared/data/orl-faces}), if present. */
    public static final Path ORL = Path.of("..", "shared", "data", "orl-faces");

    /** The LFW subset beside the project ({@code ../shared/data/lfw}), if present. */
    public static final Path LFW = Path.of("..", "shared", "data", "lfw");

    private TestImages() {
    }

    public static boolean lfwPresent() {
        return Files.isDirectory(LFW.resolve("Al_Gore"));
    }

    public static boolean orlPresent() {
        return Files.isDirectory(ORL.resolve("s40"));
    }

    public static byte[] orl(int subject, int image) {
        try {
            return Files.readAllBytes(ORL.resolve("s" + subject).resolve(image + ".pgm"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] encode(GreyImage image, String format) {
        return encode(image.toBufferedImage(), format);
    }

    public static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BufferedImage img = image;
            if (format.equals("jpeg") || format.equals("bmp")) {
                img = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
                img.getGraphics().drawImage(image, 0, 0, null);
            }
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalArgumentException("no writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A generated face of {@code identity} as PNG bytes. */
    public static byte[] face(int identity, int sample) {
        return encode(SyntheticFaces.sample(identity, sample, 92, 112, 11), "png");
    }

    /**
     * A 640x480 JPEG photo of drawn person {@code identity} that the face detector finds: each sample at
     * another place, size and tilt.
     */
    public static byte[] photo(int identity, int sample) {
        java.util.Random r = new java.util.Random(identity * 31L + sample);
        var placement = new DrawnFaces.Placement(220 + r.nextInt(200), 200 + r.nextInt(80), 190 + r.nextInt(60),
                r.nextInt(31) - 15);
        return encode(DrawnFaces.photo(identity, 640, 480, placement), "jpeg");
    }
}
