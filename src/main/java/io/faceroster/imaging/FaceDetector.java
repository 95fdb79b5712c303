package io.faceroster.imaging;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * MediaPipe BlazeFace (short range, 128x128) run with ONNX Runtime: finds faces, their eyes, nose tip and mouth.
 * Pre- and post-processing live in {@link BlazeFaceTranslator}; this class runs the network (one session shared by
 * all threads, which ONNX Runtime allows), combines the passes on the image and its mirror image, and searches
 * tiles and a bordered copy of the photo for faces one pass misses.
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
     * image and on its mirror image, and each face's box and keypoints are the mean of both answers: single-pass
     * keypoints jitter by a few pixels, enough to tilt and rescale an aligned crop visibly.
     */
    public List<Face> detect(BufferedImage image) {
        BlazeFaceTranslator.Input input = BlazeFaceTranslator.toInput(image);
        List<Detection> direct = BlazeFaceTranslator.dropContained(run(input));
        List<Detection> mirrored = run(input.mirrored());
        List<Face> faces = new ArrayList<>();
        for (Detection d : direct) {
            Detection back = BlazeFaceTranslator.bestMirrorMatch(d, mirrored);
            Detection combined = back == null ? d : d.averagedWith(back);
            faces.add(combined.toFace(input.side(), input.padX(), input.padY()));
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
        if (tile >= 2 * BlazeFaceTranslator.SIZE) {
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
        double inter = BoxOverlap.intersection(a.x(), a.y(), a.x() + a.width(), a.y() + a.height(),
                b.x(), b.y(), b.x() + b.width(), b.y() + b.height());
        double areaA = a.width() * a.height();
        double areaB = b.width() * b.height();
        return BoxOverlap.iou(inter, areaA, areaB) > 0.3 || BoxOverlap.mostlyInside(inter, Math.min(areaA, areaB));
    }

    /** The network's blended detections on {@code input}. */
    private List<Detection> run(BlazeFaceTranslator.Input input) {
        int anchors = BlazeFaceTranslator.ANCHOR_COUNT;
        float[] scores = new float[anchors];
        float[] regress = new float[anchors * BlazeFaceTranslator.REGRESSED];
        int size = BlazeFaceTranslator.SIZE;
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input.values()),
                new long[] {1, size, size, 3});
             OrtSession.Result out = session.run(Map.of(session.getInputNames().iterator().next(), tensor))) {
            // Two output heads: the 16x16 grid's 512 anchors, then the 8x8 grid's 384.
            copy(out, "Identity:0", scores, 0);
            copy(out, "Identity_1:0", scores, 512);
            copy(out, "Identity_2:0", regress, 0);
            copy(out, "Identity_3:0", regress, 512 * BlazeFaceTranslator.REGRESSED);
        } catch (OrtException e) {
            throw new IllegalStateException("face detection failed: " + e.getMessage(), e);
        }
        return BlazeFaceTranslator.toDetections(scores, regress, minScore);
    }

    private static void copy(OrtSession.Result out, String name, float[] target, int offset) throws OrtException {
        var value = out.get(name).orElseThrow(() -> new IllegalStateException("detector has no output " + name));
        FloatBuffer buffer = ((OnnxTensor) value).getFloatBuffer();
        buffer.get(target, offset, buffer.remaining());
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
