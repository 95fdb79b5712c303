package io.faceroster.cli;

import io.faceroster.dataset.FaceFolder;
import io.faceroster.dataset.PersonSelection;
import io.faceroster.evaluation.ModelEvaluation;
import io.faceroster.evaluation.Protocol;
import io.faceroster.imaging.DatasetPhotoAligner;
import io.faceroster.model.DjlRuntime;
import io.faceroster.model.EmbeddingService;
import io.faceroster.model.ModelDirectory;
import io.faceroster.model.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code evaluate}: one model directory measured by an evaluation protocol ({@code --protocol orl}, the
 * default, or {@code lfw}, see {@link LfwEvaluation}). Prints the table, writes the full report as JSON and
 * can export the embeddings in the reference implementation's format.
 */
final class EvaluateCommand {

    static final String USAGE = """
            evaluate [--protocol orl|lfw] [options]
              --protocol orl|lfw            ORL (shared/eval/protocol_eval.py, default) or LFW (gallery_eval.py)
              --data DIR                    face set (default ../shared/data/orl-faces, or ../shared/data/lfw)
              --model DIR                   model directory or model store (default models: its active model)
              --persons SPEC                ORL: evaluation persons (default s31..s40); LFW: persons to embed,
                                            'evaluation' (default: SHA-1 of the name starts with 0-3), 'all'
                                            (training persons too, for the export; only evaluation persons
                                            are scored) or a list (only its evaluation persons are scored)
              --episodes N --repetitions N  protocol sizes (default 2000, 200)
              --seed N                      evaluation seed (default 12345)
              --out FILE                    write the report as JSON
              --export-embeddings FILE      write {"embeddings": {"Person/file": [...], ...}} for the reference
              --threads N                   intra-op threads, and LFW photo workers (default 1)
              --align                       ORL: detect and align every image first (as the service does);
                                            LFW: always
              --face largest|centre         the face taken where a photo holds several (default: ORL largest,
                                            LFW centre, the face the LFW labels name)
              LFW only:
              --embeddings FILE             score an exported embeddings file instead of embedding photos
              --threshold T                 the model's distance threshold (default: the model's own)
              --enrolled N                  persons enrolled in the open set (default 50)
            """;

    private EvaluateCommand() {
    }

    static int run(String[] args) throws Exception {
        CommandLine cl = new CommandLine(args, Set.of("align"));
        String protocol = cl.get("protocol", "orl");
        return switch (protocol) {
            case "orl" -> orl(cl);
            case "lfw" -> LfwEvaluation.run(cl);
            default -> throw new IllegalArgumentException("--protocol must be orl or lfw, not '" + protocol + "'");
        };
    }

    /** The face choice of {@code --face}, or {@code fallback}. */
    static DatasetPhotoAligner.FaceChoice faceChoice(CommandLine cl, DatasetPhotoAligner.FaceChoice fallback) {
        String face = cl.get("face", null);
        if (face == null) {
            return fallback;
        }
        return switch (face) {
            case "largest" -> DatasetPhotoAligner.FaceChoice.LARGEST;
            case "centre", "center" -> DatasetPhotoAligner.FaceChoice.NEAREST_CENTRE;
            default -> throw new IllegalArgumentException("--face must be largest or centre, not '" + face + "'");
        };
    }

    /** The model directory named by {@code --model}: itself, or a model store's active model. */
    static Path modelDirectory(CommandLine cl) throws java.io.IOException {
        Path modelPath = cl.path("model", "models");
        return Files.isRegularFile(modelPath.resolve(ModelDirectory.METADATA_FILE))
                ? modelPath : ModelStore.activeDirectory(modelPath);
    }

    private static int orl(CommandLine cl) throws Exception {
        DjlRuntime.configure(cl.path("djl-cache", null), cl.getInt("threads", 1));
        Path data = cl.path("data", "../shared/data/orl-faces");
        PersonSelection persons = PersonSelection.parse(cl.get("persons", "s31..s40"));
        int episodes = cl.getInt("episodes", 2000);
        int repetitions = cl.getInt("repetitions", 200);
        long seed = cl.getLong("seed", Protocol.DEFAULT_SEED);
        Path out = cl.path("out", null);
        Path export = cl.path("export-embeddings", null);
        boolean align = cl.flag("align");
        DatasetPhotoAligner.FaceChoice face = faceChoice(cl, DatasetPhotoAligner.FaceChoice.LARGEST);
        Path modelDir = modelDirectory(cl);
        cl.rejectUnknown();

        FaceFolder folder;
        if (align) {
            try (DatasetPhotoAligner alignment = new DatasetPhotoAligner(DatasetPhotoAligner.DEFAULT_DETECTOR, face)) {
                folder = FaceFolder.load(data, persons, alignment);
                System.out.printf("aligned %d images (%d without a detected face kept whole)%n", folder.imageCount(),
                        alignment.misses());
            }
        } else {
            folder = FaceFolder.load(data, persons);
        }
        try (EmbeddingService embedder = EmbeddingService.load(modelDir, "cpu")) {
            var embedded = ModelEvaluation.embed(embedder, folder);
            Protocol.Report report = Protocol.evaluate(embedded.embeddings(), embedded.labels(), seed, episodes,
                    repetitions);
            Protocol.OpenSet atThreshold = ModelEvaluation.atThreshold(embedded, embedder.metadata().threshold());
            Map<String, Double> figures = new LinkedHashMap<>(report.headline());
            figures.put("threshold_far", atThreshold.farAchieved());
            figures.put("threshold_dir", atThreshold.dir());
            System.out.printf("model %s on %d images of %d persons (%s)%n", embedder.metadata().version(),
                    report.images(), report.persons(), persons);
            System.out.println(table(embedder.metadata().version(), figures));
            System.out.printf("95%% CI half-widths: %s%n", ciSummary(report));
            System.out.printf("shipped threshold %.4f: FAR %.4f, DIR %.4f (open set, 5 enrolled x 3 shots)%n",
                    embedder.metadata().threshold(), atThreshold.farAchieved(), atThreshold.dir());
            if (out != null) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("model", embedder.metadata().version());
                json.put("data", data.toString());
                json.put("persons", persons.spec());
                json.put("headline", figures);
                json.put("report", report);
                json.put("shippedThreshold", atThreshold);
                ModelDirectory.JSON.writeValue(out.toFile(), json);
                System.out.println("wrote " + out);
            }
            if (export != null) {
                ModelDirectory.JSON.writeValue(export.toFile(), Map.of("embeddings", embedded.byKey(),
                        "meta", Map.of("model", embedder.metadata().version())));
                System.out.println("wrote " + export);
            }
        }
        return 0;
    }

    private static String ciSummary(Protocol.Report report) {
        StringBuilder sb = new StringBuilder();
        report.fewShot().forEach((k, v) -> sb.append(k).append(String.format(" +-%.4f  ", v.ci95())));
        return sb.toString().trim();
    }

    /** The protocol's headline figures as a one-row Markdown table. */
    static String table(String name, Map<String, Double> figures) {
        StringBuilder head = new StringBuilder("| system |");
        StringBuilder rule = new StringBuilder("|---|");
        StringBuilder row = new StringBuilder("| " + name + " |");
        figures.forEach((k, v) -> {
            head.append(' ').append(k).append(" |");
            rule.append("---|");
            row.append(String.format(" %.3f |", v));
        });
        return head + "\n" + rule + "\n" + row;
    }
}
