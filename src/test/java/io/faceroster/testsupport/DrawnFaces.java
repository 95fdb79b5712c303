package io.faceroster.testsupport;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Drawn cartoon faces the BlazeFace detector recognises as faces (score about 0.9 at 200 px), for detection
 * tests that must run without the ORL photos. Each identity has its own proportions (eye spacing, face width,
 * mouth, nose, hair, skin tone); a placement puts one on a canvas at any position, size and rotation, and
 * the true eye centres are known exactly.
 */
public final class DrawnFaces {

    /** Where a face goes: centre, size (about the face height in pixels) and rotation in degrees. */
    public record Placement(double x, double y, double size, double degrees) {
    }

    private DrawnFaces() {
    }

    public static BufferedImage canvas(int width, int height) {
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setColor(new Color(90, 110, 130));
        g.fillRect(0, 0, width, height);
        g.dispose();
        return canvas;
    }

    /** Draws identity {@code identity} onto {@code canvas}; returns its eye centres, left-most first. */
    public static Point2D[] draw(BufferedImage canvas, int identity, Placement p) {
        Random r = new Random(1000L + identity);
        double eyeSpacing = 15 + r.nextInt(8);
        double faceWidth = 74 + r.nextInt(14);
        double mouthWidth = 18 + r.nextInt(18);
        double noseLength = 14 + r.nextInt(10);
        double hairHeight = 70 + r.nextInt(25);
        int skin = r.nextInt(60);
        Color skinColour = new Color(235 - skin, 195 - skin, 165 - skin);
        AffineTransform t = new AffineTransform();
        t.translate(p.x(), p.y());
        t.rotate(Math.toRadians(p.degrees()));
        t.scale(p.size() / 100.0, p.size() / 100.0);

        Graphics2D g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.transform(t);
        g.setColor(new Color(50 + r.nextInt(60), 35 + r.nextInt(30), 25));
        g.fill(new Ellipse2D.Double(-faceWidth / 2 - 5, -62, faceWidth + 10, hairHeight));
        g.setColor(skinColour);
        g.fill(new Ellipse2D.Double(-faceWidth / 2, -50, faceWidth, 105));
        for (int side : new int[] {-1, 1}) {
            double ex = side * eyeSpacing;
            g.setColor(Color.WHITE);
            g.fill(new Ellipse2D.Double(ex - 8, -12, 16, 9));
            g.setColor(new Color(60, 40, 30));
            g.fill(new Ellipse2D.Double(ex - 4, -11.5, 8, 8));
            g.setStroke(new BasicStroke(3));
            g.draw(new Line2D.Double(ex - 9, -20, ex + 9, -21));
        }
        g.setColor(skinColour.darker());
        g.fill(new Polygon(new int[] {0, -6, 6}, new int[] {-5, (int) (noseLength), (int) (noseLength)}, 3));
        g.setColor(new Color(160, 60, 60));
        g.fill(new Ellipse2D.Double(-mouthWidth / 2, 27, mouthWidth, 8));
        g.dispose();

        Point2D a = t.transform(new Point2D.Double(-eyeSpacing, -7.5), null);
        Point2D b = t.transform(new Point2D.Double(eyeSpacing, -7.5), null);
        return a.getX() <= b.getX() ? new Point2D[] {a, b} : new Point2D[] {b, a};
    }

    /** A canvas with one drawn face; its eye centres are discarded. */
    public static BufferedImage photo(int identity, int width, int height, Placement p) {
        BufferedImage canvas = canvas(width, height);
        draw(canvas, identity, p);
        return canvas;
    }
}
