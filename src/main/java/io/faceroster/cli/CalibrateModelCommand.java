package io.faceroster.cli;

import io.faceroster.dataset.PersonSelection;
import io.faceroster.evaluation.PersonGroups;
import io.faceroster.evaluation.PhotoEmbedder;
import io.faceroster.evaluation.PhotoSet;
import io.faceroster.evaluation.ThresholdCalibration;
import io.faceroster.imaging.DatasetPhotoAligner;
import io.faceroster.model.DjlRuntime;
import io.faceroster.model.EmbeddingService;
import io.faceroster.model.ModelDirectory;
import io.faceroster.model.ModelMetadata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code calibrate-model}: chooses a model's distance threshold on calibration persons by simulating the service's
 * own situation (a gallery of N enrolled persons, strangers asking to be identified) and, with {@code --write},
 * records it with how it was chosen in the model's metadata. The persons must be ones the model was not trained or
 * evaluated on (for LFW: {@code lfw-training}).
 */
final class CalibrateModelCommand {

    static final String USAGE = """
            calibrate-model --model DIR --data DIR --persons SPEC [options]
              --persons SPEC       calibration persons (e.g. lfw-training: never the evaluation persons)
              --gallery N          persons enrolled per simulated gallery (default 50)
              --shots N            photos enrolled per person (default 3)
              --target-far F       strangers accepted per identify attempt (default 0.01)
              --face largest|centre  the face taken where a photo holds several (default centre)
              --threads N          photo workers (default 1)
              --write              record the threshold in the model's metadata.json
            """;

    private CalibrateModelCommand() {
    }

    static int run(String[] args) throws Exception {
        CommandLine cl = new CommandLine(args, Set.of("write"));
        int threads = cl.getInt("threads", 1);
        DjlRuntime.configure(cl.path("djl-cache", null), 1);
        Path modelDir = Path.of(cl.require("model"));
        Path data = Path.of(cl.require("data"));
        PersonSelection persons = PersonSelection.parse(cl.require("persons"));
        int gallery = cl.getInt("gallery", 50);
        int shots = cl.getInt("shots", 3);
        double targetFar = Double.parseDouble(cl.get("target-far", "0.01"));
        DatasetPhotoAligner.FaceChoice face = EvaluateCommand.faceChoice(cl, DatasetPhotoAligner.FaceChoice.NEAREST_CENTRE);
        boolean write = cl.flag("write");
        cl.rejectUnknown();

        PhotoSet photos = PhotoSet.list(data, persons::includes);
        Map<String, double[]> embeddings;
        ModelMetadata metadata;
        long start = System.nanoTime();
        try (EmbeddingService embedder = EmbeddingService.load(modelDir, "cpu");
             DatasetPhotoAligner alignment = new DatasetPhotoAligner(DatasetPhotoAligner.DEFAULT_DETECTOR, face)) {
            metadata = embedder.metadata();
            embeddings = new PhotoEmbedder(embedder, alignment, threads).embed(photos, done -> {
                if (done % 500 == 0) {
                    System.out.printf("embedded %d of %d photos%n", done, photos.keys().size());
                }
            });
        }
        List<double[]> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        embeddings.forEach((key, v) -> {
            rows.add(v);
            labels.add(key.substring(0, key.indexOf('/')));
        });
        PersonGroups groups = PersonGroups.of(rows.toArray(double[][]::new), labels);
        ThresholdCalibration.Result r = ThresholdCalibration.openSet(groups, gallery, shots, targetFar, 12345);
        String method = String.format("open set on %s of %s (%d persons, %d photos): %d enrolled x %d shots, 200 "
                        + "repetitions, strangers accepted per identify attempt at most %s", persons, data,
                groups.persons(), groups.images(), gallery, shots, targetFar);
        System.out.printf("model %s: threshold %.4f -> strangers accepted %.4f (%d stranger queries), DIR %.4f "
                        + "(%d genuine queries); %s; %.0f s%n", metadata.version(), r.threshold(), r.farAchieved(),
                r.impostorComparisons(), r.tarAchieved(), r.genuineComparisons(), method,
                (System.nanoTime() - start) / 1e9);
        if (write) {
            ModelMetadata calibrated = metadata.withThreshold(r.threshold(), new ModelMetadata.Calibration(method,
                    List.copyOf(new TreeSet<>(labels)), targetFar, r.farAchieved(), r.tarAchieved()));
            ModelDirectory.writeMetadata(modelDir, calibrated);
            System.out.println("wrote the threshold into " + modelDir.resolve(ModelDirectory.METADATA_FILE));
        }
        return 0;
    }
}
