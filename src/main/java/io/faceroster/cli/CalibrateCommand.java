package io.faceroster.cli;

import io.faceroster.DomainException;
import io.faceroster.dataset.FaceFolder;
import io.faceroster.gallery.CalibrationMaths;
import io.faceroster.gallery.GalleryEvidence;
import io.faceroster.gallery.GalleryHealth;
import io.faceroster.gallery.HeldOutCheck;
import io.faceroster.identify.SupportSet;
import io.faceroster.imaging.FaceCropper;
import io.faceroster.imaging.FaceDetector;
import io.faceroster.imaging.FaceChip;
import io.faceroster.imaging.ImageDecoder;
import io.faceroster.imaging.ImageFiles;
import io.faceroster.imaging.ImagingProperties;
import io.faceroster.model.DjlRuntime;
import io.faceroster.model.EmbeddingService;
import io.faceroster.model.ModelDirectory;
import io.faceroster.model.ModelStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * {@code calibrate}: gallery calibration (issue 12) on a labelled face folder, through the service's own code
 * path: each photo is decoded, passed through face detection, the enrolment gate and alignment
 * ({@link FaceCropper}) and embedded with the model; enrolled into a {@link SupportSet}; calibrated with
 * {@link GalleryEvidence}. Prints JSON: the calibrated threshold for the target FAR, the gallery's estimate
 * and what held-out photos measured ({@link HeldOutCheck}); or with {@code --health}, gallery health.
 *
 * Size: about 280 lines: the option parsing, the held-out check and the health listing of one command; the
 * maths lives in {@code gallery}.
 */
final class CalibrateCommand {

    static final String USAGE = """
            calibrate --data DIR [options]      (prints JSON)
              --model DIR                   model directory or store (default models: its active model)
              --persons SPEC                persons (default all); lfw-eval = the LFW evaluation persons (SHA-1 of
                                            the folder name starts with 0-3, ../shared/eval/PROTOCOL.md)
              --shots N                     enrolment photos per employee (default 5; one photo at least is held out)
              --enrolled-fraction F         share of persons enrolled, the rest are strangers (default 0.5)
              --target-far F                FAR per identify attempt to calibrate for (default 0.01)
              --repetitions N               random splits (default 20)
              --seed N                      (default 12345)
              --threads N                   intra-op threads for embedding and matching (default 1)
              --out FILE                    also write the JSON there
              --health                      instead: enrol every person (first --shots enrolable photos) and list
                                            gallery health at --threshold (default: the model's threshold)
                --seed-duplicate --seed-mislabel   with --health: enrol the second person's other photos again under
                                            another id; put the last photo of the third person into the fourth's set
            calibrate --benchmark [--employees N] [--shots N] [--threads N] [--model DIR] [--health]
                                            time GET calibration (and with --health gallery health) on a service
                                            holding N (20000) employees x shots (5) synthetic embeddings while
                                            identify is called; --threads: calibration threads (0 = processors - 1)
            """;

    private CalibrateCommand() {
    }

    static int run(String[] args) throws Exception {
        CommandLine cl = new CommandLine(args, Set.of("health", "seed-duplicate", "seed-mislabel", "benchmark"));
        if (cl.flag("benchmark")) {
            boolean withHealth = cl.flag("health");
            DjlRuntime.configure(cl.path("djl-cache", null), 1);
            int employees = cl.getInt("employees", 20_000);
            int benchShots = cl.getInt("shots", 5);
            int calibrationThreads = cl.getInt("threads", 0);
            Path store = cl.path("model", "models");
            cl.rejectUnknown();
            return CalibrationBenchmark.run(store, employees, benchShots, calibrationThreads, withHealth);
        }
        int threads = cl.getInt("threads", 1);
        DjlRuntime.configure(cl.path("djl-cache", null), threads);
        Path data = Path.of(cl.require("data"));
        Path modelPath = cl.path("model", "models");
        String persons = cl.get("persons", "all");
        int shots = cl.getInt("shots", 5);
        double fraction = Double.parseDouble(cl.get("enrolled-fraction", "0.5"));
        double targetFar = Double.parseDouble(cl.get("target-far", "0.01"));
        int repetitions = cl.getInt("repetitions", 20);
        long seed = cl.getLong("seed", 12345);
        Path out = cl.path("out", null);
        boolean health = cl.flag("health");
        boolean seedDuplicate = cl.flag("seed-duplicate");
        boolean seedMislabel = cl.flag("seed-mislabel");
        String thresholdOption = cl.get("threshold", null);
        cl.rejectUnknown();
        if (shots < 1 || !(fraction > 0 && fraction < 1) || !(targetFar > 0 && targetFar < 1) || repetitions < 1) {
            throw new IllegalArgumentException("--shots >= 1, --enrolled-fraction and --target-far in (0, 1), "
                    + "--repetitions >= 1");
        }
        Path modelDir = Files.isRegularFile(modelPath.resolve(ModelDirectory.METADATA_FILE))
                ? modelPath : ModelStore.activeDirectory(modelPath);
        ImagingProperties imaging = new Binder(List.of()).bindOrCreate("faceroster.imaging",
                Bindable.of(ImagingProperties.class));
        long start = System.nanoTime();
        Map<String, Object> json = new LinkedHashMap<>();
        try (EmbeddingService embedder = EmbeddingService.load(modelDir, "cpu");
             FaceDetector detector = new FaceDetector(imaging.detection().model(), imaging.detection().minScore())) {
            List<HeldOutCheck.Person> folder = embedFolder(data, persons, new ImageDecoder(imaging.maxPixels()),
                    new FaceCropper(detector, imaging), embedder);
            json.put("model", embedder.metadata().version());
            json.put("modelThreshold", embedder.metadata().threshold());
            json.put("data", data.toString());
            json.put("persons", persons);
            json.put("photos", photoCounts(folder));
            if (health) {
                double threshold = thresholdOption == null ? embedder.metadata().threshold()
                        : Double.parseDouble(thresholdOption);
                json.put("health", health(folder, shots, threshold, seedDuplicate, seedMislabel, threads));
            } else {
                json.put("protocol", Map.of("shots", shots, "enrolledFraction", fraction, "targetFar", targetFar,
                        "repetitions", repetitions, "seed", seed, "intervalMethod", CalibrationMaths.INTERVAL_METHOD));
                HeldOutCheck.Result r = HeldOutCheck.run(folder, new HeldOutCheck.Options(shots, fraction, targetFar,
                        repetitions, seed, threads));
                json.put("summary", r.summary());
                json.put("repetitions", r.repetitions());
            }
        }
        json.put("seconds", Math.round((System.nanoTime() - start) / 1e7) / 100.0);
        String text = ModelDirectory.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json);
        System.out.println(text);
        if (out != null) {
            Files.writeString(out, text, StandardCharsets.UTF_8);
        }
        return 0;
    }

    /** Every photo with a face, embedded; {@code enrolable} when it passed the enrolment gate. */
    static List<HeldOutCheck.Person> embedFolder(Path root, String persons, ImageDecoder decoder, FaceCropper cropper,
                                                 EmbeddingService embedder) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("not a folder of person folders: " + root);
        }
        var selection = persons.equals("lfw-eval") ? null : io.faceroster.dataset.PersonSelection.parse(persons);
        List<Path> dirs;
        try (Stream<Path> s = Files.list(root)) {
            dirs = s.filter(Files::isDirectory).filter(d -> {
                String name = d.getFileName().toString();
                return selection == null ? lfwEvaluationPerson(name) : selection.includes(name);
            }).sorted((a, b) -> FaceFolder.NATURAL.compare(a.getFileName().toString(), b.getFileName().toString()))
                    .toList();
        }
        List<HeldOutCheck.Person> out = new ArrayList<>();
        for (Path dir : dirs) {
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(ImageFiles::isImageFile).sorted((a, b) -> FaceFolder.NATURAL.compare(
                        a.getFileName().toString(), b.getFileName().toString())).toList();
            }
            List<String> keys = new ArrayList<>();
            List<FaceChip> crops = new ArrayList<>();
            List<Boolean> enrolable = new ArrayList<>();
            for (Path f : files) {
                FaceChip crop;
                boolean ok = true;
                try (var photo = decoder.decode(Files.readAllBytes(f))) {
                    try {
                        crop = cropper.forEnrolment(photo, true).chip();
                    } catch (DomainException refused) {
                        ok = false;
                        try {
                            crop = cropper.largest(photo, true).chip();   // still a query, as identify would take it
                        } catch (DomainException noFace) {
                            continue;
                        }
                    }
                }
                keys.add(dir.getFileName() + "/" + f.getFileName());
                crops.add(crop);
                enrolable.add(ok);
            }
            if (crops.isEmpty()) {
                continue;
            }
            List<float[]> embeddings = new ArrayList<>();
            for (int from = 0; from < crops.size(); from += 32) {
                embeddings.addAll(embedder.embedBatch(crops.subList(from, Math.min(crops.size(), from + 32))));
            }
            List<HeldOutCheck.Image> images = new ArrayList<>();
            for (int i = 0; i < crops.size(); i++) {
                images.add(new HeldOutCheck.Image(keys.get(i), embeddings.get(i), enrolable.get(i)));
            }
            out.add(new HeldOutCheck.Person(dir.getFileName().toString(), images));
        }
        if (out.size() < 2) {
            throw new IllegalArgumentException("fewer than two persons with faces in " + root + " (" + persons + ")");
        }
        return out;
    }

    /** The LFW protocol's evaluation persons: SHA-1 (hex) of the folder name starts with 0, 1, 2 or 3. */
    static boolean lfwEvaluationPerson(String name) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-1").digest(name.getBytes(StandardCharsets.UTF_8));
            return "0123".indexOf(HexFormat.of().formatHex(sha).charAt(0)) >= 0;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Integer> photoCounts(List<HeldOutCheck.Person> folder) {
        int photos = 0;
        int enrolable = 0;
        for (HeldOutCheck.Person p : folder) {
            photos += p.images().size();
            enrolable += (int) p.images().stream().filter(HeldOutCheck.Image::enrolable).count();
        }
        return Map.of("persons", folder.size(), "withFace", photos, "passedEnrolmentGate", enrolable);
    }

    /** Every person enrolled with its first {@code shots} enrolable photos, optionally with seeded mistakes. */
    static Map<String, Object> health(List<HeldOutCheck.Person> folder, int shots, double threshold,
                                      boolean seedDuplicate, boolean seedMislabel, int threads) {
        int dim = folder.get(0).images().get(0).embedding().length;
        SupportSet set = new SupportSet("calibrate-health", dim);
        Map<String, Object> seeded = new LinkedHashMap<>();
        Map<UUID, String> photoOf = new java.util.HashMap<>();
        for (int p = 0; p < folder.size(); p++) {
            HeldOutCheck.Person person = folder.get(p);
            List<HeldOutCheck.Image> enrolable = person.images().stream().filter(HeldOutCheck.Image::enrolable).toList();
            List<SupportSet.Shot> taken = new ArrayList<>();
            for (HeldOutCheck.Image i : enrolable.subList(0, Math.min(shots, enrolable.size()))) {
                UUID id = UUID.randomUUID();
                photoOf.put(id, i.key());
                taken.add(new SupportSet.Shot(id, i.embedding()));
            }
            if (seedMislabel && p == 3 && folder.size() > 3) {
                HeldOutCheck.Person other = folder.get(2);
                HeldOutCheck.Image wrong = other.images().get(other.images().size() - 1);
                UUID id = UUID.randomUUID();
                photoOf.put(id, wrong.key());
                taken.add(new SupportSet.Shot(id, wrong.embedding()));
                seeded.put("mislabelled", Map.of("employee", person.name(), "faceId", id, "photo", wrong.key()));
            }
            if (!taken.isEmpty()) {
                set.add(person.name(), person.name(), taken);
            }
        }
        if (seedDuplicate && folder.size() > 1) {
            HeldOutCheck.Person twice = folder.get(1);
            List<HeldOutCheck.Image> rest = twice.images().stream().filter(HeldOutCheck.Image::enrolable).skip(shots)
                    .toList();
            List<SupportSet.Shot> again = new ArrayList<>();
            for (HeldOutCheck.Image i : rest.isEmpty() ? twice.images() : rest) {
                UUID id = UUID.randomUUID();
                photoOf.put(id, i.key());
                again.add(new SupportSet.Shot(id, i.embedding()));
            }
            set.add(twice.name() + "-again", twice.name() + " (again)", again);
            seeded.put("duplicate", List.of(twice.name(), twice.name() + "-again"));
        }
        GalleryEvidence e = GalleryEvidence.of(set.snapshot(), threads, Instant.now());
        GalleryHealth.Findings f = GalleryHealth.findings(e, threshold, 1000, threads);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("threshold", threshold);
        out.put("employees", e.employees());
        out.put("samples", e.samples());
        out.put("seeded", seeded);
        out.put("counts", f.counts());
        out.put("items", f.items());
        Map<UUID, String> named = new LinkedHashMap<>();
        f.items().forEach(i -> i.faceIds().forEach(id -> named.put(id, photoOf.get(id))));
        out.put("photos", named);
        return out;
    }
}
