package io.faceroster.evaluation;

import io.faceroster.dataset.FaceFolder;
import io.faceroster.imaging.GreyImage;
import io.faceroster.model.EmbeddingService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Embeds a labelled face folder with a tower and runs the protocol on it. */
public final class ModelEvaluation {

    private static final int BATCH = 32;

    private ModelEvaluation() {
    }

    /** Embeddings of a face folder, in canonical order, with the person label of each row. */
    public record Embedded(List<String> keys, List<String> labels, double[][] embeddings) {

        public Protocol.Grouped grouped() {
            return Protocol.Grouped.of(embeddings, labels);
        }

        public Map<String, double[]> byKey() {
            Map<String, double[]> m = new LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                m.put(keys.get(i), embeddings[i]);
            }
            return m;
        }
    }

    public static Embedded embed(EmbeddingService embedder, FaceFolder folder) {
        List<String> keys = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<GreyImage> images = new ArrayList<>();
        for (FaceFolder.Person p : folder.persons()) {
            for (int i = 0; i < p.images().size(); i++) {
                keys.add(p.name() + "/" + p.files().get(i).getFileName());
                labels.add(p.name());
                images.add(p.images().get(i));
            }
        }
        double[][] out = new double[images.size()][];
        for (int from = 0; from < images.size(); from += BATCH) {
            List<float[]> batch = embedder.embedBatch(images.subList(from, Math.min(images.size(), from + BATCH)));
            for (int i = 0; i < batch.size(); i++) {
                float[] v = batch.get(i);
                double[] d = new double[v.length];
                for (int j = 0; j < v.length; j++) {
                    d[j] = v[j];
                }
                out[from + i] = d;
            }
        }
        return new Embedded(keys, labels, out);
    }

    /** The full protocol with its default episodes and repetitions. */
    public static Protocol.Report protocol(Embedded e) {
        return Protocol.evaluate(e.embeddings(), e.labels(), Protocol.DEFAULT_SEED, 2000, 200);
    }

    /**
     * The open-set situation the service is in, at a given threshold: what share of strangers it would
     * accept (FAR) and of enrolled persons it would find (DIR). Enrols 5 persons, or half of them when fewer
     * than 10 are available.
     */
    public static Protocol.OpenSet atThreshold(Embedded e, double threshold) {
        Protocol.Grouped g = e.grouped();
        return Protocol.openSetAtThreshold(g, 200, Protocol.DEFAULT_SEED, enrolledFor(g.groups().length), 3,
                threshold);
    }

    /** The threshold accepting at most {@code targetFar} of strangers in the open-set simulation on {@code e}. */
    public static Protocol.OpenSet calibrate(Embedded e, double targetFar) {
        Protocol.Grouped g = e.grouped();
        return Protocol.openSet(g, 200, Protocol.DEFAULT_SEED + 1, enrolledFor(g.groups().length), 3, targetFar);
    }

    static int enrolledFor(int persons) {
        return persons >= 10 ? 5 : Math.max(1, (persons + 1) / 2);
    }
}
