package io.faceroster.evaluation;

import io.faceroster.dataset.FaceFolder;
import io.faceroster.imaging.FaceChip;
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
        List<FaceChip> images = new ArrayList<>();
        for (FaceFolder.Person p : folder.persons()) {
            for (int i = 0; i < p.chips().size(); i++) {
                keys.add(p.name() + "/" + p.files().get(i).getFileName());
                labels.add(p.name());
                images.add(p.chips().get(i));
            }
        }
        return new Embedded(keys, labels, embedAll(embedder, images));
    }

    /** The full protocol with its default episodes and repetitions. */
    public static Protocol.Report protocol(Embedded e) {
        return Protocol.evaluate(e.embeddings(), e.labels(), Protocol.DEFAULT_SEED, 2000, 200);
    }

    /**
     * The open-set situation the service is in, at a given threshold: what share of strangers it would
     * accept (FAR) and of enrolled persons it would find (DIR), with {@link Protocol#enrolledFor} enrolled.
     */
    public static Protocol.OpenSet atThreshold(Embedded e, double threshold) {
        Protocol.Grouped g = e.grouped();
        return Protocol.openSetAtThreshold(g, 200, Protocol.DEFAULT_SEED, Protocol.enrolledFor(g.groups().length), 3,
                threshold);
    }

    /**
     * The service threshold, calibrated on {@code e} (persons the tower was not trained on): the distance
     * at which a stranger is accepted by one given 3-shot prototype with probability
     * {@code targetOpenSetFar / gallerySize}, so that a gallery of {@code gallerySize} employees accepts
     * about {@code targetOpenSetFar} of strangers.
     */
    public static Protocol.PrototypeThreshold calibrate(Embedded e, double targetOpenSetFar, int gallerySize) {
        int perPerson = e.grouped().groups()[0].length;
        // 3-shot prototypes as in the protocol's open set; fewer when a person has too few images.
        return Protocol.prototypeThreshold(e.grouped(), 200, Protocol.DEFAULT_SEED + 1, Math.min(3, perPerson - 1),
                targetOpenSetFar / gallerySize);
    }


    /**
     * Protocol figures scaled to a small, uneven set of persons (a retraining job's validation persons):
     * every person is cut to the smallest image count so episodes are fair; k-way 1-shot with k = min(5,
     * persons), plus AUC, EER and TAR at FAR 1% over all pairs.
     */
    public static Map<String, Double> validate(EmbeddingService embedder, Map<String, List<FaceChip>> persons,
                                               long seed) {
        Embedded e = embedEqualCounts(embedder, persons);
        Protocol.Grouped g = e.grouped();
        int ways = Math.min(5, g.groups().length);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("fewshot_" + ways + "way_1shot", Protocol.fewShot(g, ways, 1, 500, seed).accuracy());
        Protocol.Verification v = Protocol.verification(e.embeddings(), e.labels());
        out.put("verif_auc", v.rocAuc());
        out.put("verif_eer", v.eer());
        out.put("verif_tar_at_far_1pct", v.tarAtFar1pct());
        return out;
    }

    /** The same persons with every person cut to the smallest image count (at least 2). */
    public static Embedded embedEqualCounts(EmbeddingService embedder, Map<String, List<FaceChip>> persons) {
        int m = persons.values().stream().mapToInt(List::size).min().orElse(0);
        if (persons.size() < 2 || m < 2) {
            throw new IllegalArgumentException("validation needs 2+ persons with 2+ images each");
        }
        List<String> keys = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<FaceChip> images = new ArrayList<>();
        persons.forEach((person, imgs) -> {
            for (int i = 0; i < m; i++) {
                keys.add(person + "/" + i);
                labels.add(person);
                images.add(imgs.get(i));
            }
        });
        return new Embedded(keys, labels, embedAll(embedder, images));
    }

    private static double[][] embedAll(EmbeddingService embedder, List<FaceChip> images) {
        double[][] out = new double[images.size()][];
        for (int from = 0; from < images.size(); from += BATCH) {
            List<float[]> batch = embedder.embedBatch(images.subList(from, Math.min(images.size(), from + BATCH)));
            for (int i = 0; i < batch.size(); i++) {
                out[from + i] = toDouble(batch.get(i));
            }
        }
        return out;
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            d[j] = v[j];
        }
        return d;
    }
}
