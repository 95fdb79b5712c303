import io.faceroster.imaging.FaceDetector;
import io.faceroster.imaging.FaceDetector.Face;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Detector scores on real photos, for choosing {@code faceroster.imaging.detection.min-score}.
 * Usage: DetectionSurvey DETECTOR_ONNX OUT_DIR PHOTO_FOLDER...
 * Runs the whole-photo pass (with the grey-border retry when it finds nothing, as the service does) at score 0.3
 * over every JPEG/PNG/PGM below the folders and writes OUT_DIR/detections.csv (photo, score, box, whether the box
 * holds the photo's centre) and, for every detection that does not hold the centre, a 96x96 thumbnail
 * OUT_DIR/other/SCORE_PHOTO.png, so that each can be looked at and called a face or not a face.
 */
public class DetectionSurvey {
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[1]);
        Files.createDirectories(out.resolve("other"));
        List<Path> photos = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            try (Stream<Path> files = Files.walk(Path.of(args[i]))) {
                files.filter(p -> p.toString().matches("(?i).*\\.(jpe?g|png|pgm)$")).sorted().forEach(photos::add);
            }
        }
        int none = 0;
        try (FaceDetector detector = new FaceDetector(Path.of(args[0]), 0.3);
             PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out.resolve("detections.csv")))) {
            csv.println("photo,score,x,y,width,height,centred,border");
            for (Path photo : photos) {
                BufferedImage image = ImageIO.read(photo.toFile());
                List<Face> faces = detector.detect(image);
                boolean border = faces.isEmpty();
                if (border) {
                    faces = detector.detectWithBorder(image);
                }
                if (faces.isEmpty()) {
                    none++;
                }
                String name = photo.getParent().getFileName() + "/" + photo.getFileName();
                for (Face f : faces) {
                    boolean centred = f.x() <= image.getWidth() / 2.0 && f.x() + f.width() >= image.getWidth() / 2.0
                            && f.y() <= image.getHeight() / 2.0 && f.y() + f.height() >= image.getHeight() / 2.0;
                    csv.printf(Locale.ROOT, "%s,%.4f,%.1f,%.1f,%.1f,%.1f,%b,%b%n", name, f.score(), f.x(), f.y(),
                            f.width(), f.height(), centred, border);
                    if (!centred) {
                        ImageIO.write(thumbnail(image, f), "png", out.resolve("other").resolve(String.format(
                                Locale.ROOT, "%.3f_%s", f.score(), name.replace('/', '_').replaceAll("\\.\\w+$", ".png"))).toFile());
                    }
                }
            }
        }
        System.out.printf("%d photos, %d without any detection at 0.3%n", photos.size(), none);
    }

    private static BufferedImage thumbnail(BufferedImage image, Face f) {
        int x = (int) Math.max(0, f.x() - f.width() * 0.25);
        int y = (int) Math.max(0, f.y() - f.height() * 0.25);
        int w = (int) Math.min(image.getWidth() - x, f.width() * 1.5);
        int h = (int) Math.min(image.getHeight() - y, f.height() * 1.5);
        BufferedImage t = new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = t.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image.getSubimage(x, y, Math.max(1, w), Math.max(1, h)), 0, 0, 96, 96, null);
        g.dispose();
        return t;
    }
}
