package io.faceroster.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.SequentialBlock;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Imports dlib's face-recognition ResNet from the npm package {@code @vladmandic/face-api} (MIT-licensed code; the
 * weights themselves are dlib's, public domain): reads the package tarball or its unpacked {@code model/} folder,
 * checks the weights' SHA-256, proves that they fit the backbone block, and writes a model directory whose head
 * starts as the identity ({@link TowerArchitecture#DLIB_HEAD}: the backbone's descriptor, L2-normalised, is the
 * embedding until a retraining job adapts the head). Nothing is downloaded: fetch the tarball by hand
 * ({@code npm pack @vladmandic/face-api@1.7.15}).
 */
public final class WeightsImport {

    public static final String PACKAGE = "@vladmandic/face-api";
    public static final String VERSION = "1.7.15";
    /** SHA-256 of {@code model/face_recognition_model.bin} in face-api 1.7.15. */
    public static final String WEIGHTS_SHA256 = "b413e420d6840b2775fba32008db6f3cddb07d485967fb42cfcf379c16a8c589";
    /** SHA-256 of the npm tarball {@code vladmandic-face-api-1.7.15.tgz}. */
    public static final String PACKAGE_SHA256 = "0d77fffeef362ef9c0939cf6c567f3a2e8e177f114fa257a3270cbd2e509b031";
    static final String MANIFEST = "face_recognition_model-weights_manifest.json";
    static final String WEIGHTS = "face_recognition_model.bin";
    static final String LICENCE = "weights: public domain (Davis King, davisking/dlib-models README: \"I've released "
            + "them into the public domain\"); the face-api package that carries them: MIT";
    static final String TRAINING_DATA = "trained from scratch by Davis King on about 3 million faces of 7,485 "
            + "identities (the FaceScrub data set, the VGG face data set and images scraped from the internet, about "
            + "half from VGG and FaceScrub), overlap with LFW's identities avoided; LFW accuracy 99.38% as published";

    /** What was imported and where it went. */
    public record Imported(Path directory, ModelMetadata metadata) {
    }

    private WeightsImport() {
    }

    /**
     * @param source    the npm tarball ({@code .tgz}) or a folder holding the manifest and weights (the package's
     *                  {@code model/} folder)
     * @param store     model store to write the new version into
     * @param threshold the distance threshold written into the metadata with {@code calibration}
     */
    public static Imported run(Path source, Path store, double threshold, ModelMetadata.Calibration calibration)
            throws IOException {
        Files.createDirectories(store);
        Path work = Files.createTempDirectory(store, ".import-");
        try {
            String packageSha = null;
            Path folder = source;
            if (Files.isRegularFile(source)) {
                packageSha = ModelDirectory.contentHash(source);
                if (!packageSha.equals(PACKAGE_SHA256)) {
                    throw new IOException(source + " has SHA-256 " + packageSha + "; " + PACKAGE + "@" + VERSION
                            + "'s tarball has " + PACKAGE_SHA256);
                }
                folder = work.resolve("package-model");
                extract(source, folder);
            }
            String weightsSha = ModelDirectory.contentHash(folder.resolve(WEIGHTS));
            if (!weightsSha.equals(WEIGHTS_SHA256)) {
                throw new IOException(folder.resolve(WEIGHTS) + " has SHA-256 " + weightsSha + ", expected "
                        + WEIGHTS_SHA256 + " (" + PACKAGE + "@" + VERSION + ")");
            }
            TowerArchitecture architecture = TowerArchitecture.dlibResnet(TowerArchitecture.DLIB_HEAD);
            ModelMetadata.Backbone backbone = new ModelMetadata.Backbone("dlib face recognition ResNet "
                    + "(dlib_face_recognition_resnet_model_v1)", "npm " + PACKAGE, VERSION, packageSha,
                    ModelDirectory.BACKBONE_FOLDER + "/" + MANIFEST, ModelDirectory.BACKBONE_FOLDER + "/" + WEIGHTS,
                    weightsSha, LICENCE, TRAINING_DATA);
            ModelMetadata draft = new ModelMetadata(null, architecture, 128, threshold, calibration,
                    new ModelMetadata.Training("imported, not trained here", List.of(), List.of(), Map.of(), 0, 0,
                            Double.NaN, List.of()), Map.of(), Instant.now(), backbone);
            Path staging = work.resolve("model");
            try (Model model = Model.newInstance("import", Device.cpu(), "PyTorch")) {
                SequentialBlock tower = TowerBuilder.build(architecture);
                model.setBlock(tower);
                tower.initialize(model.getNDManager(), DataType.FLOAT32, TowerBuilder.inputShape(architecture, 1));
                // Proves the weights fit the block one to one before anything is written.
                BackboneWeights.apply(TowerBuilder.backboneOf(tower), TfjsWeights.read(folder.resolve(MANIFEST)));
                ModelMetadata saved = ModelDirectory.saveWithBackbone(staging, tower, draft, folder);
                Path dir = ModelStore.install(store, staging, saved.version());
                return new Imported(dir, saved);
            }
        } finally {
            ModelStore.deleteRecursively(work);
        }
    }

    /** Copies the manifest and weights out of the tarball's {@code package/model/} folder. */
    private static void extract(Path tarball, Path folder) throws IOException {
        Files.createDirectories(folder);
        int found = 0;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(tarball));
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = entry.getName();
                for (String wanted : new String[] {MANIFEST, WEIGHTS}) {
                    if (entry.isFile() && name.equals("package/model/" + wanted)) {
                        Files.copy(tar, folder.resolve(wanted), StandardCopyOption.REPLACE_EXISTING);
                        found++;
                    }
                }
            }
        }
        if (found != 2) {
            throw new IOException(tarball + " holds no package/model/" + MANIFEST + " and " + WEIGHTS);
        }
    }
}
