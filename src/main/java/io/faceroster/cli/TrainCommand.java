package io.faceroster.cli;

import ai.djl.Device;
import io.faceroster.dataset.FaceFolder;
import io.faceroster.dataset.PersonSelection;
import io.faceroster.evaluation.ModelEvaluation;
import io.faceroster.evaluation.Protocol;
import io.faceroster.imaging.DatasetPhotoAligner;
import io.faceroster.imaging.FaceChip;
import io.faceroster.model.DjlRuntime;
import io.faceroster.model.EmbeddingService;
import io.faceroster.model.ModelDirectory;
import io.faceroster.model.ModelMetadata;
import io.faceroster.model.ModelStore;
import io.faceroster.model.TowerArchitecture;
import io.faceroster.training.Augmentation;
import io.faceroster.training.HeadTrainer;
import io.faceroster.training.TowerTrainer;
import io.faceroster.training.TrainingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code train}: trains a tower on an image folder, calibrates its threshold on held-out training persons,
 * optionally measures it on evaluation persons, and writes a versioned model directory.
 */
final class TrainCommand {

    static final String USAGE = """
            train --data DIR [options]
              --arch faceroster-v1|seed|dlib-resnet  tower architecture (default faceroster-v1); dlib-resnet trains
                                            the head on the frozen backbone of --backbone (or --init)
              --backbone DIR                model directory holding the imported backbone (dlib-resnet)
              --head-layers "L1, ..." | none  dlib-resnet: the head after the backbone (default: none, the
                                            backbone's descriptor is the embedding)
              --train-persons SPEC          persons for gradient steps (default s1..s25)
              --validation-persons SPEC     held-out training persons for the threshold (default s26..s30; 'none' calibrates on the
                                            training persons, which is optimistic)
              --eval-persons SPEC           persons to report protocol figures on (default s31..s40; 'none' skips)
              --epochs N --batch N --margin F --lr F --weight-decay F --seed N
              --sampling pairs|batch-all|batch-nce   how pairs are formed (batch-nce: margin = temperature)
              --images-per-person N         images of each person in a batch (batch sampling)
              --input N | WxH               tower input size (default: the architecture's)
              --layers "L1, L2, ..."        replace the architecture's layers (see TowerArchitecture)
              --head "L1, ..." | none       replace the training-only projection head
              --normalisation unit|standardise  input scaling (default: the architecture's)
              --no-augment                  train without augmentation
              --augmentation R,S,T,F,B,C    rotation deg, scale, shift, flip, brightness, contrast
                                            (default none; e.g. 10,0.08,0.06,true,0.1,0.2)
              --target-far F                open-set false accept rate the threshold aims at (default 0.01)
              --calibration-gallery N       ... for a gallery of N enrolled employees (default 20)
              --threads N                   intra-op threads (default 1)
              --out DIR                     model store to write <version>/ into (default models)
              --activate                    make the new model the store's active one
              --init DIR                    start from this model directory's weights (fine-tuning) instead
                                            of a fresh initialisation
              --align                       detect and align every image first (as the service does)
              --align-mix                   train on every photo both as it is and aligned; validate and
                                            evaluate on aligned crops
            """;

    private TrainCommand() {
    }

    static int run(String[] args) throws Exception {
        CommandLine cl = new CommandLine(args, Set.of("no-augment", "activate", "align", "align-mix"));
        DjlRuntime.configure(cl.path("djl-cache", null), cl.getInt("threads", 1));
        Path data = cl.path("data", null);
        if (data == null) {
            throw new IllegalArgumentException("--data is required");
        }
        TrainingOptions options = options(cl);
        PersonSelection trainSel = PersonSelection.parse(cl.get("train-persons", "s1..s25"));
        PersonSelection valSel = PersonSelection.parse(cl.get("validation-persons", "s26..s30"));
        String evalSpec = cl.get("eval-persons", "s31..s40");
        double targetFar = Double.parseDouble(cl.get("target-far", "0.01"));
        int gallery = cl.getInt("calibration-gallery", 20);
        Path out = cl.path("out", "models");
        boolean activate = cl.flag("activate");
        Path init = cl.path("init", null);
        Path backbone = cl.path("backbone", null);
        if (backbone == null) {
            backbone = init;
        }
        boolean alignMix = cl.flag("align-mix");
        boolean align = cl.flag("align") || alignMix;
        cl.rejectUnknown();

        FaceFolder all;
        if (align) {
            try (DatasetPhotoAligner alignment = new DatasetPhotoAligner(DatasetPhotoAligner.DEFAULT_DETECTOR)) {
                all = FaceFolder.load(data, PersonSelection.ALL, alignment);
                System.out.printf("aligned %d images (%d without a detected face kept whole)%n", all.imageCount(),
                        alignment.misses());
            }
        } else {
            all = FaceFolder.load(data);
        }
        // --align-mix: train on each photo both as it is and aligned; validate and evaluate on aligned crops.
        FaceFolder train = alignMix ? FaceFolder.load(data, trainSel).plus(all.select(trainSel)) : all.select(trainSel);
        FaceFolder validation = all.select(valSel);
        System.out.printf("training %s on %d persons (%d images) of %s; validation %d persons%n",
                options.architecture().name(), train.persons().size(), train.imageCount(), data,
                validation.persons().size());
        System.out.println("hyper-parameters: " + options.describe());

        List<List<FaceChip>> images = train.persons().stream().map(FaceFolder.Person::chips).toList();
        boolean head = options.architecture().backboneLayers() > 0;
        if (head && backbone == null) {
            throw new IllegalArgumentException("--arch " + options.architecture().name()
                    + " trains a head on an imported backbone: give --backbone DIR (e.g. the import-weights output)");
        }
        TowerTrainer.Result result = head
                ? new HeadTrainer(options, Device.cpu(), backbone, init != null).train(images,
                        p -> System.out.println(p), () -> false)
                : new TowerTrainer(options, Device.cpu(), init).train(images, p -> System.out.println(p), () -> false);
        System.out.printf("trained %d steps in %.1f s, final epoch loss %.4f%n", result.steps(), result.seconds(),
                result.finalLoss());

        ModelMetadata draft = new ModelMetadata(null, options.architecture(), 0, Double.NaN, null,
                new ModelMetadata.Training(data.toString(), train.personNames(), validation.personNames(),
                        options.describe(), result.steps(), result.seconds(), result.finalLoss(), result.lossCurve()),
                Map.of(), Instant.now());
        try (result; EmbeddingService embedder = EmbeddingService.wrap(result.model(), draft)) {
            var model = result.model();
            FaceFolder calibrationSet = validation.persons().size() >= 2 ? validation : train;
            var calibration = ModelEvaluation.calibrate(ModelEvaluation.embed(embedder, calibrationSet), targetFar,
                    gallery);
            String method = "gaussian prototype-far " + targetFar + "/" + gallery + " on "
                    + (calibrationSet == validation ? "validation persons" : "training persons (in-sample: optimistic)");
            int dim = embedder.embed(train.persons().get(0).chips().get(0)).length;
            System.out.printf("threshold %.4f: per-prototype FAR %.5f, TAR %.4f on %s (%s)%n",
                    calibration.threshold(), calibration.farAchieved(), calibration.tarAchieved(),
                    calibrationSet.personNames(), method);

            Map<String, Map<String, Double>> evaluation = new LinkedHashMap<>();
            if (!"none".equals(evalSpec)) {
                FaceFolder eval = all.select(PersonSelection.parse(evalSpec));
                var embedded = ModelEvaluation.embed(embedder, eval);
                Protocol.Report report = ModelEvaluation.protocol(embedded);
                Map<String, Double> figures = new LinkedHashMap<>(report.headline());
                Protocol.OpenSet shipped = ModelEvaluation.atThreshold(embedded, calibration.threshold());
                figures.put("threshold_far", shipped.farAchieved());
                figures.put("threshold_dir", shipped.dir());
                evaluation.put(evalSpec, figures);
                System.out.println(EvaluateCommand.table(options.architecture().name(), figures));
            }
            ModelMetadata metadata = new ModelMetadata(null, options.architecture(), dim, calibration.threshold(),
                    new ModelMetadata.Calibration(method, calibrationSet.personNames(), targetFar,
                            calibration.farAchieved(), calibration.tarAchieved()),
                    draft.training(), evaluation, Instant.now());
            Path staging = Files.createTempDirectory(Files.createDirectories(out), ".staging-");
            ModelMetadata saved = ModelDirectory.save(staging, model, metadata, backbone);
            Path dir = ModelStore.install(out, staging, saved.version());
            System.out.println("wrote model " + saved.version() + " to " + dir);
            if (activate) {
                ModelStore.setActive(out, saved.version());
                System.out.println("active model of " + out + " is now " + saved.version());
            }
        }
        return 0;
    }

    /** {@code --augmentation ROT,SCALE,SHIFT,FLIP,BRIGHTNESS,CONTRAST}, e.g. {@code 10,0.08,0.06,true,0.1,0.2}. */
    private static Augmentation augmentation(CommandLine cl, Augmentation fallback) {
        String spec = cl.get("augmentation", null);
        if (cl.flag("no-augment")) {
            return Augmentation.NONE;
        }
        if (spec == null) {
            return fallback;
        }
        String[] v = spec.split(",");
        return new Augmentation(Double.parseDouble(v[0]), Double.parseDouble(v[1]), Double.parseDouble(v[2]),
                Boolean.parseBoolean(v[3]), Double.parseDouble(v[4]), Double.parseDouble(v[5]));
    }

    static TrainingOptions options(CommandLine cl) {
        String archName = cl.get("arch", "faceroster-v1");
        TowerArchitecture arch = TowerArchitecture.named(archName);
        String headLayers = cl.get("head-layers", null);
        if (headLayers != null && arch.backboneLayers() > 0) {
            arch = arch.withHead(headLayers.equals("none") ? List.of() : List.of(headLayers.split("\\s*,\\s*")));
        }
        TrainingOptions base = TrainingOptions.recipeFor(arch, cl.getLong("seed", 0));
        String layers = cl.get("layers", null);
        String head = cl.get("head", null);
        if (layers != null || head != null) {
            arch = arch.withLayers(layers == null ? arch.layers() : List.of(layers.split("\\s*,\\s*")),
                    head == null ? arch.trainingHead()
                            : head.equals("none") ? List.of() : List.of(head.split("\\s*,\\s*")));
        }
        String normalisation = cl.get("normalisation", null);
        if (normalisation != null) {
            arch = new TowerArchitecture(arch.name(), arch.inputWidth(), arch.inputHeight(),
                    TowerArchitecture.Normalisation.valueOf(normalisation.toUpperCase()), arch.layers(),
                    arch.trainingHead());
        }
        String input = cl.get("input", null);
        if (input != null) {
            String[] wh = input.toLowerCase().split("x");
            int w = Integer.parseInt(wh[0]);
            int h = wh.length > 1 ? Integer.parseInt(wh[1]) : w;
            arch = arch.withInput(w, h);
        }
        String sampling = cl.get("sampling", null);
        return new TrainingOptions(arch, sampling == null ? base.sampling()
                : TrainingOptions.Sampling.valueOf(sampling.toUpperCase().replace('-', '_')), cl.getInt("epochs", base.epochs()),
                cl.getInt("batch", base.batchSize()), base.pairsPerEpoch(), cl.getInt("images-per-person", base.imagesPerPerson()),
                cl.getFloat("margin", base.margin()), cl.getFloat("lr", base.learningRate()), base.cosineDecay(),
                cl.getFloat("weight-decay", base.weightDecay()), base.seed(),
                augmentation(cl, base.augmentation()));
    }
}
