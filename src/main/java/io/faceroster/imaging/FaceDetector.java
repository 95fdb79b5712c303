package io.faceroster.imaging;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * MediaPipe BlazeFace (short range, 128x128) run with ONNX Runtime: finds faces and their eye positions.
 * The image is padded to a square and scaled to 128x128 RGB in [-1, 1]; the network scores 896 anchors
 * (a 16x16 grid with 2 anchors per cell, then an 8x8 grid with 6) and regresses a box and six keypoints
 * per anchor; overlapping detections are blended (weighted non-maximum suppression). One session is shared
 * by all threads, which ONNX Runtime allows.
 */
public final class FaceDetector implements AutoCloseable {

    /**
     * A face in image pixels: its box, the two eye centres (left-most in the image first), the nose tip, the mouth
     * centre and a score.
     */
    public record Face(double score, double x, double y, double width, double height, double eye1X, double eye1Y,
                       double eye2X, double eye2Y, double noseX, double noseY, double mouthX, double mouthY) {

        public double eyeDistance() {
            return Math.hypot(eye2X - eye1X, eye2Y - eye1Y);
        }

        /** The same face in an image whose origin lies at (-dx, -dy) of this one's. */
        public Face translated(double dx, double dy) {
            return new Face(score, x + dx, y + dy, width, height, eye1X + dx, eye1Y + dy, eye2X + dx, eye2Y + dy,
                    noseX + dx, noseY + dy, mouthX + dx, mouthY + dy);
        }

        /** The keypoints and box as {@link Landmarks}. */
        public Landmarks landmarks() {
            return new Landmarks(new Landmarks.Point(eye1X, eye1Y), new Landmarks.Point(eye2X, eye2Y),
                    new Landmarks.Point(noseX, noseY),
                    new Landmarks.Point(mouthX, mouthY), x, y, width, height);
        }
    }

    private static final int SIZE = 128;
    private static final int KEYPOINTS = 6;
    private static final double IOU_MERGE = 0.3;
    private static final float[][] ANCHORS = anchors();

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final double minScore;

    public FaceDetector(Path model, double minScore) {
        this.minScore = minScore;
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            // ONNX Runtime warns about unused initialisers of this model at every load; not actionable.
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            this.session = env.createSession(model.toString(), options);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load face detector " + model + ": " + e.getMessage(), e);
        }
    }

    /**
     * Faces with score at least the detector's minimum, highest score first. The network runs twice, on the
     * image and on its mirror image, and each face's box and eyes are the mean of both answers: single-pass
     * keypoints jitter by a few pixels, enough to tilt and rescale an aligned crop visibly.
     */
    public List<Face> detect(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int side = Math.max(w, h);
        double padX = (side - w) / 2.0;
        double padY = (side - h) / 2.0;
        float[] input = toInput(image, side, padX, padY);
        List<double[]> direct = dropContained(blend(decode(run(input))));
        List<double[]> mirrored = blend(decode(run(mirror(input))));
        List<Face> faces = new ArrayList<>();
        for (double[] d : direct) {
            double[] m = bestMirrorMatch(d, mirrored);
            double[] g = d.clone();
            if (m != null) {
                // Mirror coordinates back: x -> 1 - x, which also swaps the box edges and the two eyes.
                g[1] = (d[1] + 1 - m[3]) / 2;
                g[3] = (d[3] + 1 - m[1]) / 2;
                g[2] = (d[2] + m[2]) / 2;
                g[4] = (d[4] + m[4]) / 2;
                g[5] = (d[5] + 1 - m[7]) / 2;
                g[6] = (d[6] + m[8]) / 2;
                g[7] = (d[7] + 1 - m[5]) / 2;
                g[8] = (d[8] + m[6]) / 2;
                // Nose tip and mouth centre lie on the symmetry axis: only x is mirrored.
                g[9] = (d[9] + 1 - m[9]) / 2;
                g[10] = (d[10] + m[10]) / 2;
                g[11] = (d[11] + 1 - m[11]) / 2;
                g[12] = (d[12] + m[12]) / 2;
            }
            faces.add(toFace(g, side, padX, padY));
        }
        return faces;
    }

    /**
     * Also finds faces too small for {@link #detect} (which sees the whole photo at 128 px and needs faces of
     * about a fifth of its longer side): the photo is searched again in overlapping square tiles of 1/2.5 of its
     * longer side, so faces down to about a twelfth of it are found. Detections of one face in several places
     * (the whole photo, neighbouring tiles, a tile cutting the face) are merged, keeping the best-scored one.
     * Costs up to nine more detections; photos under 640 px are only searched whole.
     */
    public List<Face> detectWithTiles(BufferedImage image) {
        return detectWithTiles(image, detect(image));
    }

    /** The same when the whole-photo pass has already run and found {@code whole}. */
    public List<Face> detectWithTiles(BufferedImage image, List<Face> whole) {
        List<Face> found = new ArrayList<>(whole);
        int w = image.getWidth();
        int h = image.getHeight();
        int tile = (int) Math.ceil(Math.max(w, h) / 2.5);
        if (tile >= 2 * SIZE) {
            int stride = tile * 3 / 4;
            for (int y0 : tileStarts(h, tile, stride)) {
                for (int x0 : tileStarts(w, tile, stride)) {
                    BufferedImage part = image.getSubimage(x0, y0, Math.min(tile, w - x0), Math.min(tile, h - y0));
                    for (Face f : detect(part)) {
                        found.add(f.translated(x0, y0));
                    }
                }
            }
        }
        found.sort(Comparator.comparingDouble(Face::score).reversed());
        List<Face> kept = new ArrayList<>();
        for (Face f : found) {
            if (kept.stream().noneMatch(k -> sameFace(k, f))) {
                kept.add(f);
            }
        }
        return kept;
    }

    /** Share of the width (height) added as a border left and right (top and bottom) by {@link #detectWithBorder}. */
    static final double BORDER = 0.4;

    /**
     * Faces in {@code image} with a mid-grey border of {@value #BORDER} of its width and height on every side,
     * in {@code image}'s pixels. BlazeFace misses a face that fills the whole frame (a tight crop): measured on 719
     * tightly cropped faces, 94 were missed without the border and none with it.
     */
    public List<Face> detectWithBorder(BufferedImage image) {
        int bx = (int) Math.round(image.getWidth() * BORDER);
        int by = (int) Math.round(image.getHeight() * BORDER);
        BufferedImage padded = new BufferedImage(image.getWidth() + 2 * bx, image.getHeight() + 2 * by,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = padded.createGraphics();
        g.setColor(new Color(128, 128, 128));
        g.fillRect(0, 0, padded.getWidth(), padded.getHeight());
        g.drawImage(image, bx, by, null);
        g.dispose();
        return detect(padded).stream().map(f -> f.translated(-bx, -by)).toList();
    }

    private static List<Integer> tileStarts(int length, int tile, int stride) {
        List<Integer> starts = new ArrayList<>();
        if (length <= tile) {
            starts.add(0);
            return starts;
        }
        for (int s = 0; s < length - tile; s += stride) {
            starts.add(s);
        }
        starts.add(length - tile);
        return starts;
    }

    /** Overlapping boxes (IoU over 0.3), or one lying mostly inside the other: one face. */
    private static boolean sameFace(Face a, Face b) {
        double ix = Math.max(0, Math.min(a.x() + a.width(), b.x() + b.width()) - Math.max(a.x(), b.x()));
        double iy = Math.max(0, Math.min(a.y() + a.height(), b.y() + b.height()) - Math.max(a.y(), b.y()));
        double inter = ix * iy;
        double areaA = a.width() * a.height();
        double areaB = b.width() * b.height();
        return inter > IOU_MERGE * (areaA + areaB - inter) || inter > 0.5 * Math.min(areaA, areaB);
    }

    private float[][] run(float[] input) {
        float[] scores = new float[ANCHORS.length];
        float[] regress = new float[ANCHORS.length * 16];
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {1, SIZE, SIZE, 3});
             OrtSession.Result out = session.run(Map.of(session.getInputNames().iterator().next(), tensor))) {
            copy(out, "Identity:0", scores, 0);
            copy(out, "Identity_1:0", scores, 512);
            copy(out, "Identity_2:0", regress, 0);
            copy(out, "Identity_3:0", regress, 512 * 16);
        } catch (OrtException e) {
            throw new IllegalStateException("face detection failed: " + e.getMessage(), e);
        }
        return new float[][] {scores, regress};
    }

    /** Anchors above the minimum score as {score, x1, y1, x2, y2, keypoints...} in the unit square. */
    private List<double[]> decode(float[][] output) {
        float[] scores = output[0];
        float[] regress = output[1];
        List<double[]> raw = new ArrayList<>();
        for (int a = 0; a < ANCHORS.length; a++) {
            double score = 1 / (1 + Math.exp(-Math.max(-100, Math.min(100, scores[a]))));
            if (score < minScore) {
                continue;
            }
            double[] d = new double[1 + 4 + 2 * KEYPOINTS];
            d[0] = score;
            int r = a * 16;
            double cx = ANCHORS[a][0] + regress[r] / SIZE;
            double cy = ANCHORS[a][1] + regress[r + 1] / SIZE;
            double bw = regress[r + 2] / SIZE;
            double bh = regress[r + 3] / SIZE;
            d[1] = cx - bw / 2;
            d[2] = cy - bh / 2;
            d[3] = cx + bw / 2;
            d[4] = cy + bh / 2;
            for (int k = 0; k < KEYPOINTS; k++) {
                d[5 + 2 * k] = ANCHORS[a][0] + regress[r + 4 + 2 * k] / SIZE;
                d[6 + 2 * k] = ANCHORS[a][1] + regress[r + 5 + 2 * k] / SIZE;
            }
            raw.add(d);
        }
        return raw;
    }

    /** The mirror-pass detection that overlaps {@code d} most once flipped back, or null below IoU 0.5. */
    private static double[] bestMirrorMatch(double[] d, List<double[]> mirrored) {
        double[] best = null;
        double bestIou = 0.5;
        for (double[] m : mirrored) {
            double[] back = {m[0], 1 - m[3], m[2], 1 - m[1], m[4]};
            double iou = iou(d, back);
            if (iou > bestIou) {
                bestIou = iou;
                best = m;
            }
        }
        return best;
    }

    private static Face toFace(double[] d, int side, double padX, double padY) {
        // Normalised square coordinates -> image pixels.
        double x1 = d[1] * side - padX;
        double y1 = d[2] * side - padY;
        double x2 = d[3] * side - padX;
        double y2 = d[4] * side - padY;
        double ex1 = d[5] * side - padX;
        double ey1 = d[6] * side - padY;
        double ex2 = d[7] * side - padX;
        double ey2 = d[8] * side - padY;
        if (ex2 < ex1) {
            double t = ex1;
            ex1 = ex2;
            ex2 = t;
            t = ey1;
            ey1 = ey2;
            ey2 = t;
        }
        return new Face(d[0], x1, y1, x2 - x1, y2 - y1, ex1, ey1, ex2, ey2, d[9] * side - padX, d[10] * side - padY,
                d[11] * side - padX, d[12] * side - padY);
    }

    private static float[] mirror(float[] input) {
        float[] out = new float[input.length];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                System.arraycopy(input, (y * SIZE + x) * 3, out, (y * SIZE + SIZE - 1 - x) * 3, 3);
            }
        }
        return out;
    }

    /** Weighted non-maximum suppression: overlapping detections are averaged, weighted by their scores. */
    private static List<double[]> blend(List<double[]> detections) {
        List<double[]> remaining = new ArrayList<>(detections);
        remaining.sort(Comparator.comparingDouble((double[] d) -> d[0]).reversed());
        List<double[]> out = new ArrayList<>();
        while (!remaining.isEmpty()) {
            double[] top = remaining.get(0);
            List<double[]> group = new ArrayList<>();
            for (double[] d : remaining) {
                if (iou(top, d) > IOU_MERGE) {
                    group.add(d);
                }
            }
            remaining.removeAll(group);
            double[] merged = new double[top.length];
            double total = 0;
            for (double[] d : group) {
                total += d[0];
                for (int i = 1; i < d.length; i++) {
                    merged[i] += d[i] * d[0];
                }
            }
            for (int i = 1; i < merged.length; i++) {
                merged[i] /= total;
            }
            merged[0] = top[0];
            out.add(merged);
        }
        return out;
    }

    /**
     * Drops detections lying mostly (more than half their area) inside a higher-scoring one: BlazeFace
     * sometimes scores an eye region of a close face as a small second face (ORL s14 and s34, scores 0.4-0.51),
     * and a face cannot sit inside another face.
     */
    private static List<double[]> dropContained(List<double[]> faces) {
        List<double[]> kept = new ArrayList<>();
        for (double[] d : faces) {
            boolean inside = false;
            for (double[] k : kept) {
                double ix = Math.max(0, Math.min(k[3], d[3]) - Math.max(k[1], d[1]));
                double iy = Math.max(0, Math.min(k[4], d[4]) - Math.max(k[2], d[2]));
                inside |= ix * iy > 0.5 * (d[3] - d[1]) * (d[4] - d[2]);
            }
            if (!inside) {
                kept.add(d);
            }
        }
        return kept;
    }

    private static double iou(double[] a, double[] b) {
        double ix = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
        double iy = Math.max(0, Math.min(a[4], b[4]) - Math.max(a[2], b[2]));
        double inter = ix * iy;
        double union = (a[3] - a[1]) * (a[4] - a[2]) + (b[3] - b[1]) * (b[4] - b[2]) - inter;
        return union <= 0 ? 0 : inter / union;
    }

    private static float[] toInput(BufferedImage image, int side, double padX, double padY) {
        BufferedImage square = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = square.createGraphics();
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, SIZE, SIZE);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        double scale = (double) SIZE / side;
        g.drawImage(image, (int) Math.round(padX * scale), (int) Math.round(padY * scale),
                (int) Math.round(image.getWidth() * scale), (int) Math.round(image.getHeight() * scale), null);
        g.dispose();
        int[] rgb = square.getRGB(0, 0, SIZE, SIZE, null, 0, SIZE);
        float[] out = new float[SIZE * SIZE * 3];
        for (int i = 0; i < rgb.length; i++) {
            out[i * 3] = ((rgb[i] >> 16) & 0xff) / 127.5f - 1f;
            out[i * 3 + 1] = ((rgb[i] >> 8) & 0xff) / 127.5f - 1f;
            out[i * 3 + 2] = (rgb[i] & 0xff) / 127.5f - 1f;
        }
        return out;
    }

    private static void copy(OrtSession.Result out, String name, float[] target, int offset) throws OrtException {
        var value = out.get(name).orElseThrow(() -> new IllegalStateException("detector has no output " + name));
        FloatBuffer buffer = ((OnnxTensor) value).getFloatBuffer();
        buffer.get(target, offset, buffer.remaining());
    }

    private static float[][] anchors() {
        List<float[]> a = new ArrayList<>();
        addGrid(a, 16, 2);
        addGrid(a, 8, 6);
        return a.toArray(float[][]::new);
    }

    private static void addGrid(List<float[]> anchors, int grid, int perCell) {
        for (int row = 0; row < grid; row++) {
            for (int col = 0; col < grid; col++) {
                for (int k = 0; k < perCell; k++) {
                    anchors.add(new float[] {(col + 0.5f) / grid, (row + 0.5f) / grid});
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
