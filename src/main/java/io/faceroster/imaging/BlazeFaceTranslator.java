package io.faceroster.imaging;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Pre- and post-processing of MediaPipe BlazeFace (short range), in the role of a DJL {@code Translator} (the
 * network itself runs on ONNX Runtime, see {@link FaceDetector}). In: the image padded to a square and scaled to
 * 128x128 RGB in [-1, 1]. Out: 896 anchors (a 16x16 grid with 2 anchors per cell, then an 8x8 grid with 6), each
 * with a score and a box and six keypoints regressed from the anchor; overlapping detections are blended
 * (weighted non-maximum suppression).
 */
final class BlazeFaceTranslator {

    static final int SIZE = 128;
    static final int ANCHOR_COUNT = 896;
    /** Values regressed per anchor: box centre and size, then x and y of six keypoints. */
    static final int REGRESSED = 16;
    private static final double IOU_MERGE = 0.3;
    private static final float[][] ANCHORS = anchors();

    /** The network input for {@code image}, and where the image lies in it. */
    record Input(float[] values, int side, double padX, double padY) {

        /** The same input mirrored left to right. */
        Input mirrored() {
            float[] out = new float[values.length];
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    System.arraycopy(values, (y * SIZE + x) * 3, out, (y * SIZE + SIZE - 1 - x) * 3, 3);
                }
            }
            return new Input(out, side, padX, padY);
        }
    }

    private BlazeFaceTranslator() {
    }

    static Input toInput(BufferedImage image) {
        int side = Math.max(image.getWidth(), image.getHeight());
        double padX = (side - image.getWidth()) / 2.0;
        double padY = (side - image.getHeight()) / 2.0;
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
        return new Input(out, side, padX, padY);
    }

    /**
     * The blended detections scoring at least {@code minScore}, from the network's raw scores (logits, one per
     * anchor) and regressions ({@value #REGRESSED} per anchor).
     */
    static List<Detection> toDetections(float[] scores, float[] regress, double minScore) {
        List<Detection> raw = new ArrayList<>();
        for (int a = 0; a < ANCHORS.length; a++) {
            double score = 1 / (1 + Math.exp(-Math.max(-100, Math.min(100, scores[a]))));
            if (score < minScore) {
                continue;
            }
            int r = a * REGRESSED;
            double cx = ANCHORS[a][0] + regress[r] / SIZE;
            double cy = ANCHORS[a][1] + regress[r + 1] / SIZE;
            double bw = regress[r + 2] / SIZE;
            double bh = regress[r + 3] / SIZE;
            double[] keypoints = new double[2 * Detection.KEYPOINTS];
            for (int k = 0; k < Detection.KEYPOINTS; k++) {
                keypoints[2 * k] = ANCHORS[a][0] + regress[r + 4 + 2 * k] / SIZE;
                keypoints[2 * k + 1] = ANCHORS[a][1] + regress[r + 5 + 2 * k] / SIZE;
            }
            raw.add(new Detection(score, cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2, keypoints));
        }
        return blend(raw);
    }

    /** Weighted non-maximum suppression: overlapping detections are averaged, weighted by their scores. */
    private static List<Detection> blend(List<Detection> detections) {
        List<Detection> remaining = new ArrayList<>(detections);
        remaining.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> out = new ArrayList<>();
        while (!remaining.isEmpty()) {
            Detection top = remaining.get(0);
            List<Detection> group = remaining.stream().filter(d -> top.iou(d) > IOU_MERGE).toList();
            remaining.removeAll(group);
            double total = 0;
            double x1 = 0;
            double y1 = 0;
            double x2 = 0;
            double y2 = 0;
            double[] keypoints = new double[2 * Detection.KEYPOINTS];
            for (Detection d : group) {
                total += d.score();
                x1 += d.x1() * d.score();
                y1 += d.y1() * d.score();
                x2 += d.x2() * d.score();
                y2 += d.y2() * d.score();
                for (int i = 0; i < keypoints.length; i++) {
                    keypoints[i] += d.keypoints()[i] * d.score();
                }
            }
            for (int i = 0; i < keypoints.length; i++) {
                keypoints[i] /= total;
            }
            out.add(new Detection(top.score(), x1 / total, y1 / total, x2 / total, y2 / total, keypoints));
        }
        return out;
    }

    /**
     * Drops detections lying mostly (more than half their area) inside a higher-scoring one: BlazeFace
     * sometimes scores an eye region of a close face as a small second face (ORL s14 and s34, scores 0.4-0.51),
     * and a face cannot sit inside another face.
     */
    static List<Detection> dropContained(List<Detection> faces) {
        List<Detection> kept = new ArrayList<>();
        for (Detection d : faces) {
            if (kept.stream().noneMatch(k -> BoxOverlap.mostlyInside(k.intersection(d), d.area()))) {
                kept.add(d);
            }
        }
        return kept;
    }

    /** The detection of the mirrored input that overlaps {@code d} most once mapped back, or null below IoU 0.5. */
    static Detection bestMirrorMatch(Detection d, List<Detection> mirrored) {
        Detection best = null;
        double bestIou = 0.5;
        for (Detection m : mirrored) {
            Detection back = m.mirroredBack();
            double iou = d.iou(back);
            if (iou > bestIou) {
                bestIou = iou;
                best = back;
            }
        }
        return best;
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
}
