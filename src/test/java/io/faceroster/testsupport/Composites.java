package io.faceroster.testsupport;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;

/** Test photos made by pasting face images into larger grey canvases, moved, scaled and rotated. */
public final class Composites {

    private Composites() {
    }

    public static BufferedImage read(byte[] bytes) {
        try {
            return ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A grey width x height canvas with each face pasted at its placement {centre x, centre y, scale, degrees}
     * (rotation about the face's centre).
     */
    public static BufferedImage composite(List<BufferedImage> faces, int width, int height, double[]... placements) {
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setColor(new Color(90, 90, 90));
        g.fillRect(0, 0, width, height);
        g.dispose();
        for (int i = 0; i < faces.size(); i++) {
            paste(canvas, faces.get(i), placements[i]);
        }
        return canvas;
    }

    public static void paste(BufferedImage canvas, BufferedImage face, double[] placement) {
        Graphics2D g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(face, placement(face, placement), null);
        g.dispose();
    }

    /** Where a point (x, y) of {@code face} lands on the canvas under {@code placement}. */
    public static double[] place(double x, double y, BufferedImage face, double[] placement) {
        var p = placement(face, placement).transform(new java.awt.geom.Point2D.Double(x, y), null);
        return new double[] {p.getX(), p.getY()};
    }

    private static AffineTransform placement(BufferedImage face, double[] p) {
        AffineTransform t = new AffineTransform();
        t.translate(p[0], p[1]);
        t.rotate(Math.toRadians(p[3]));
        t.scale(p[2], p[2]);
        t.translate(-face.getWidth() / 2.0, -face.getHeight() / 2.0);
        return t;
    }
}
