import io.faceroster.testsupport.DrawnFaces;

import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Draws the reference chip for the dlib face-recognition ResNet port: a 150x150 colour PNG of a drawn face
 * (never a photo) from the test helper {@code DrawnFaces}, placed so that its eye centres land on dlib's
 * 5-point template eyes, about (48, 47) and (100, 47) of the chip, on the helper's plain background.
 *
 * <p>Run from the repository root after {@code ./mvnw -q -o test-compile}:
 * {@code java -cp target/test-classes:target/classes tools/reference/DrawReferenceChip.java OUT.png [identity]}
 */
public final class DrawReferenceChip {

    static final int CHIP = 150;
    static final double LEFT_EYE_X = 48;
    static final double RIGHT_EYE_X = 100;
    static final double EYE_Y = 47;

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: DrawReferenceChip OUT.png [identity (default 3)]");
            System.exit(2);
        }
        int identity = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        // The helper's eye centres sit at (+-eyeSpacing, -7.5) * size/100 around the placement centre;
        // a probe draw at size 100 reveals this identity's eye spacing.
        Point2D[] probe = DrawnFaces.draw(DrawnFaces.canvas(400, 400), identity,
                new DrawnFaces.Placement(200, 200, 100, 0));
        double spacingAt100 = probe[1].getX() - probe[0].getX();
        double size = 100 * (RIGHT_EYE_X - LEFT_EYE_X) / spacingAt100;
        double centreX = (LEFT_EYE_X + RIGHT_EYE_X) / 2;
        double centreY = EYE_Y - (probe[0].getY() - 200) * size / 100;

        BufferedImage chip = DrawnFaces.canvas(CHIP, CHIP);
        Point2D[] eyes = DrawnFaces.draw(chip, identity, new DrawnFaces.Placement(centreX, centreY, size, 0));
        if (!ImageIO.write(chip, "png", new File(args[0]))) {
            throw new IOException("no PNG writer");
        }
        System.out.printf("identity %d, size %.3f, centre (%.3f, %.3f), eyes (%.3f, %.3f) (%.3f, %.3f) -> %s%n",
                identity, size, centreX, centreY, eyes[0].getX(), eyes[0].getY(), eyes[1].getX(), eyes[1].getY(),
                args[0]);
    }
}
