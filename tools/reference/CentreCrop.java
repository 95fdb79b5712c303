import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Cuts the centre 150x150 of an image (no resizing) and writes it as an RGB PNG: a quick chip from an
 * LFW photo (250x250, face roughly centred) for checking descriptors by hand. It is not an alignment.
 *
 * <p>{@code java tools/reference/CentreCrop.java IN.jpg OUT.png}
 */
public final class CentreCrop {

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: CentreCrop IN OUT.png");
            System.exit(2);
        }
        BufferedImage in = ImageIO.read(new File(args[0]));
        if (in == null || in.getWidth() < 150 || in.getHeight() < 150) {
            throw new IOException(args[0] + ": not an image of at least 150x150");
        }
        int x0 = (in.getWidth() - 150) / 2;
        int y0 = (in.getHeight() - 150) / 2;
        BufferedImage chip = new BufferedImage(150, 150, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 150; y++) {
            for (int x = 0; x < 150; x++) {
                chip.setRGB(x, y, in.getRGB(x0 + x, y0 + y));
            }
        }
        ImageIO.write(chip, "png", new File(args[1]));
        System.out.printf("%s: centre crop x %d..%d, y %d..%d of %dx%d -> %s%n", args[0], x0, x0 + 149, y0,
                y0 + 149, in.getWidth(), in.getHeight(), args[1]);
    }
}
