package io.faceroster.imaging;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Reads image files (PGM through the TwelveMonkeys PNM plug-in, PNG, JPEG, ...). */
public final class ImageFiles {

    private ImageFiles() {
    }

    public static BufferedImage read(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) {
            throw new IOException("not a readable image: " + file);
        }
        return image;
    }

    public static GreyImage readGrey(Path file) throws IOException {
        return GreyImage.of(read(file));
    }

    public static boolean isImageFile(Path file) {
        String name = file.getFileName().toString().toLowerCase();
        return name.endsWith(".pgm") || name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg")
                || name.endsWith(".bmp") || name.endsWith(".gif") || name.endsWith(".webp");
    }
}
