package io.faceroster.cli;

import io.faceroster.dataset.PersonSelection;
import io.faceroster.evaluation.EmbeddingsFile;
import io.faceroster.evaluation.FewShotEpisodes;
import io.faceroster.evaluation.LfwProtocol;
import io.faceroster.evaluation.PhotoEmbedder;
import io.faceroster.evaluation.PhotoSet;
import io.faceroster.evaluation.Protocol;
import io.faceroster.imaging.DatasetPhotoAligner;
import io.faceroster.model.DjlRuntime;
import io.faceroster.model.EmbeddingService;
import io.faceroster.model.ModelDirectory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Predicate;

/**
 * {@code evaluate --protocol lfw}: the LFW protocol ({@link LfwProtocol}) for a model on {@code ../shared/data/lfw}
 * (every photo detected and aligned as the service does, the face nearest the centre where there are several),
 * or for an exported embeddings file. Prints the reference README's headline table.
 */
final class LfwEvaluation {

    private LfwEvaluation() {
    }

    /** What was evaluated: a name for the table, the embeddings, the threshold, and notes for the JSON. */
    private record Source(String name, Map<String, double[]> embeddings, OptionalDouble threshold,
                          Map<String, Object> notes) {
    }

    static int run(CommandLine cl) throws Exception {
        int threads = cl.getInt("threads", 1);
        DjlRuntime.configure(cl.path("djl-cache", null), threads);
        Path embeddingsFile = cl.path("embeddings", null);
        Path data = cl.path("data", "../shared/data/lfw");
        String persons = cl.get("persons", "evaluation");
        String threshold = cl.get("threshold", null);
        var settings = new LfwProtocol.Settings(cl.getLong("seed", Protocol.DEFAULT_SEED), cl.getInt("episodes", 2000),
                cl.getInt("repetitions", 200), cl.getInt("enrolled", LfwProtocol.OPEN_SET_ENROLLED),
                LfwProtocol.OPEN_SET_SHOTS);
        Path out = cl.path("out", null);
        Path export = cl.path("export-embeddings", null);
        DatasetPhotoAligner.FaceChoice face = EvaluateCommand.faceChoice(cl, DatasetPhotoAligner.FaceChoice.NEAREST_CENTRE);
        cl.flag("align"); // LFW photos are always detected and aligned
        Path modelDir = embeddingsFile == null ? EvaluateCommand.modelDirectory(cl) : null;
        cl.rejectUnknown();
        OptionalDouble givenThreshold = threshold == null ? OptionalDouble.empty()
                : OptionalDouble.of(Double.parseDouble(threshold));

        Source source = embeddingsFile != null
                ? new Source(embeddingsFile.getFileName().toString(), EmbeddingsFile.read(embeddingsFile),
                        givenThreshold, Map.of("embeddings", embeddingsFile.toString()))
                : embedPhotos(modelDir, data, persons, face, threads, givenThreshold);

        long start = System.nanoTime();
        LfwProtocol.Report report = LfwProtocol.evaluate(source.embeddings(), settings, source.threshold());
        System.out.printf("LFW protocol on %d images of %d evaluation persons, %d-d (%.1f s)%n", report.images(),
                report.persons(), report.dimension(), (System.nanoTime() - start) / 1e9);
        System.out.println(table(source.name(), report, source.threshold()));
        System.out.println(details(report));

        if (export != null) {
            Map<String, Object> meta = new LinkedHashMap<>(source.notes());
            meta.put("protocol", "lfw");
            EmbeddingsFile.write(export, source.embeddings(), meta);
            System.out.println("wrote " + export);
        }
        if (out != null) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("system", source.name());
            json.put("protocol", "lfw");
            json.putAll(source.notes());
            json.putAll(report.toJson());
            ModelDirectory.JSON.writeValue(out.toFile(), json);
            System.out.println("wrote " + out);
        }
        return 0;
    }

    private static Source embedPhotos(Path modelDir, Path data, String persons, DatasetPhotoAligner.FaceChoice face,
                                      int threads, OptionalDouble givenThreshold) throws Exception {
        PhotoSet photos = PhotoSet.list(data, personFilter(persons));
        try (EmbeddingService embedder = EmbeddingService.load(modelDir, "cpu");
             DatasetPhotoAligner alignment = new DatasetPhotoAligner(DatasetPhotoAligner.DEFAULT_DETECTOR, face)) {
            String version = embedder.metadata().version();
            System.out.printf("embedding %d photos of %d persons from %s with %s (face: %s, %d thread(s))%n",
                    photos.keys().size(), photos.persons(), data, version, face, threads);
            long start = System.nanoTime();
            int total = photos.keys().size();
            Map<String, double[]> embeddings = new PhotoEmbedder(embedder, alignment, threads).embed(photos, done -> {
                if (done % 320 == 0 || done == total) {
                    System.out.printf("  %d/%d%n", done, total);
                }
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("embedded %d photos in %.1f s (%.1f ms each); no face found in %d (embedded whole), "
                            + "several faces in %d, chosen face not the largest in %d%n", total, seconds,
                    1000 * seconds / total, alignment.misses(), alignment.severalFaces(), alignment.notLargest());
            Map<String, Object> notes = new LinkedHashMap<>();
            notes.put("model", version);
            notes.put("data", data.toString());
            notes.put("persons", persons);
            notes.put("face", face == DatasetPhotoAligner.FaceChoice.NEAREST_CENTRE ? "nearest the centre" : "largest");
            notes.put("detection", Map.of("images", total, "no_face", alignment.misses(),
                    "several_faces", alignment.severalFaces(), "chosen_not_largest", alignment.notLargest()));
            OptionalDouble threshold = givenThreshold.isPresent() ? givenThreshold
                    : OptionalDouble.of(embedder.metadata().threshold());
            return new Source(version, embeddings, threshold, notes);
        }
    }

    private static Predicate<String> personFilter(String persons) {
        return switch (persons) {
            case "evaluation" -> PersonSelection::isLfwEvaluationPerson;
            case "all" -> p -> true;
            default -> PersonSelection.parse(persons)::includes;
        };
    }

    /** The reference README's headline table (shared/eval/lfw-results/README.md), one row. */
    static String table(String name, LfwProtocol.Report r, OptionalDouble threshold) {
        StringBuilder head = new StringBuilder("| system |");
        StringBuilder row = new StringBuilder("| " + name + " |");
        for (int[] nk : LfwProtocol.FEWSHOT_SETTINGS) {
            head.append(' ').append(nk[0]).append('w').append(nk[1]).append("s |");
            FewShotEpisodes.Accuracy a = r.fewShot().get(nk[0] + "way_" + nk[1] + "shot");
            row.append(a == null ? " — |" : String.format(" %.3f |", a.accuracy()));
        }
        head.append(" AUC | EER | TAR@FAR1% | TAR@FAR0.1% | open-set rank-1 | DIR@FAR1% | FAR / DIR at own threshold |");
        var v = r.verification();
        var o = r.openSet();
        row.append(String.format(" %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |", v.rocAuc(), v.eer(), v.tarAtFar1pct(),
                v.tarAtFar01pct(), o.rank1ClosedSet(), o.atFar1pct().dir()));
        row.append(o.atModelThreshold() == null ? " — |" : String.format(" %.3f / %.3f (t = %.4f) |",
                o.atModelThreshold().farAchieved(), o.atModelThreshold().dir(), threshold.getAsDouble()));
        return head + "\n" + "|---".repeat(12) + "|\n" + row;
    }

    private static String details(LfwProtocol.Report r) {
        StringBuilder sb = new StringBuilder("95% CI half-widths:");
        r.fewShot().forEach((k, a) -> sb.append(String.format(" %s ±%.4f", k, a.ci95())));
        var v = r.verification();
        var o = r.openSet();
        sb.append(String.format("%nverification: %,d genuine and %,d impostor pairs; thresholds at FAR 1%% %.4f, "
                + "at FAR 0.1%% %.4f", v.genuinePairs(), v.impostorPairs(), v.threshold1pct(), v.threshold01pct()));
        sb.append(String.format("%nopen set: %d repetitions of %d enrolled x %d shots, %,d genuine and %,d impostor "
                        + "queries; threshold at FAR 1%% %.4f (DIR %.3f), at FAR 5%% %.4f (DIR %.3f)", o.repetitions(),
                o.enrolled(), o.shots(), o.genuineQueries(), o.impostorQueries(), o.atFar1pct().threshold(),
                o.atFar1pct().dir(), o.atFar5pct().threshold(), o.atFar5pct().dir()));
        return sb.toString();
    }
}
