package io.faceroster.model;

import io.faceroster.Sha256;
import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.SequentialBlock;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A model on disk: {@code metadata.json} and the tower's parameters in {@code tower-0000.params} (DJL's format).
 * A tower with an imported backbone keeps the backbone's weights as published in {@code backbone/} (checked
 * against the SHA-256 in the metadata when loaded) and only its head in {@code tower-0000.params}, written by
 * the head block itself. The version is derived from the parameter bytes (and for a backbone tower from the
 * backbone's SHA-256 and the architecture too), so two directories with the same version hold the same tower.
 */
public final class ModelDirectory {

    public static final String PARAMS_PREFIX = "tower";
    public static final String METADATA_FILE = "metadata.json";
    public static final String BACKBONE_FOLDER = "backbone";

    public static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ModelDirectory() {
    }

    /**
     * Writes parameters and metadata into {@code dir}; the version in the written metadata is derived
     * from the parameters. Returns the metadata as written. A tower with a backbone needs
     * {@link #saveWithBackbone}.
     */
    public static ModelMetadata save(Path dir, Model model, ModelMetadata metadata) throws IOException {
        if (metadata.architecture().backboneLayers() > 0) {
            throw new IllegalArgumentException("a tower with an imported backbone is saved with saveWithBackbone");
        }
        Files.createDirectories(dir);
        model.save(dir, PARAMS_PREFIX);
        ModelMetadata versioned = metadata.withVersion(
                metadata.architecture().name() + "-" + contentHash(paramsFile(dir)).substring(0, 12));
        writeMetadata(dir, versioned);
        return versioned;
    }

    /**
     * Writes a trained tower: as {@link #save(Path, Model, ModelMetadata)}, or, with an imported backbone, as
     * {@link #saveWithBackbone} with the backbone files of the model directory {@code trainedFrom}.
     */
    public static ModelMetadata save(Path dir, Model model, ModelMetadata metadata, Path trainedFrom)
            throws IOException {
        if (metadata.architecture().backboneLayers() == 0) {
            return save(dir, model, metadata);
        }
        ModelMetadata source = readMetadata(trainedFrom);
        ModelMetadata withBackbone = metadata.backbone() != null ? metadata : new ModelMetadata(metadata.version(),
                metadata.architecture(), metadata.embeddingDimension(), metadata.threshold(), metadata.calibration(),
                metadata.training(), metadata.evaluation(), metadata.createdAt(), source.backbone());
        return saveWithBackbone(dir, (SequentialBlock) model.getBlock(), withBackbone,
                trainedFrom.resolve(BACKBONE_FOLDER));
    }

    /**
     * Writes a tower with an imported backbone: the backbone's published files copied from {@code backboneFrom}
     * (a model directory's {@code backbone/} folder, or the folder the weights were imported from), the head's
     * parameters, and the metadata with its derived version.
     */
    public static ModelMetadata saveWithBackbone(Path dir, SequentialBlock tower, ModelMetadata metadata,
                                                 Path backboneFrom) throws IOException {
        ModelMetadata.Backbone backbone = metadata.backbone();
        if (backbone == null) {
            throw new IllegalArgumentException("metadata names no backbone");
        }
        Path target = dir.resolve(BACKBONE_FOLDER);
        Files.createDirectories(target);
        for (String file : new String[] {backbone.manifest(), backbone.weights()}) {
            Path name = Path.of(file).getFileName();
            Files.copy(backboneFrom.resolve(name), target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        checkBackbone(dir, backbone);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                Files.newOutputStream(paramsFile(dir))))) {
            TowerBuilder.headOf(tower).saveParameters(out);
        }
        MessageDigest digest = sha256();
        digest.update(JSON.writeValueAsString(metadata.architecture()).getBytes(StandardCharsets.UTF_8));
        digest.update(backbone.sha256().getBytes(StandardCharsets.UTF_8));
        digest.update(Files.readAllBytes(paramsFile(dir)));
        String hash = HexFormat.of().formatHex(digest.digest());
        ModelMetadata versioned = metadata.withVersion(metadata.architecture().name() + "-" + hash.substring(0, 12));
        writeMetadata(dir, versioned);
        return versioned;
    }

    public static void writeMetadata(Path dir, ModelMetadata metadata) throws IOException {
        Path tmp = dir.resolve(METADATA_FILE + ".tmp");
        JSON.writeValue(tmp.toFile(), metadata);
        Files.move(tmp, dir.resolve(METADATA_FILE), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    public static ModelMetadata readMetadata(Path dir) throws IOException {
        Path file = dir.resolve(METADATA_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException("no " + METADATA_FILE + " in model directory " + dir.toAbsolutePath());
        }
        return JSON.readValue(file.toFile(), ModelMetadata.class);
    }

    /** Loads the parameters of {@code dir} into a model whose block is built from the metadata. */
    public static Model loadModel(Path dir, ModelMetadata metadata, Device device)
            throws IOException, MalformedModelException {
        Model model = Model.newInstance(metadata.version(), device, "PyTorch");
        try {
            SequentialBlock tower = TowerBuilder.build(metadata.architecture());
            model.setBlock(tower);
            if (metadata.architecture().backboneLayers() == 0) {
                model.load(dir, PARAMS_PREFIX);
                return model;
            }
            ModelMetadata.Backbone backbone = metadata.backbone();
            if (backbone == null) {
                throw new MalformedModelException(dir + ": the architecture has a backbone, the metadata names none");
            }
            checkBackbone(dir, backbone);
            tower.initialize(model.getNDManager(), DataType.FLOAT32,
                    TowerBuilder.inputShape(metadata.architecture(), 1));
            BackboneWeights.apply(TowerBuilder.backboneOf(tower), TfjsWeights.read(dir.resolve(backbone.manifest())));
            if (Files.isRegularFile(paramsFile(dir))) {
                try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                        Files.newInputStream(paramsFile(dir))))) {
                    TowerBuilder.headOf(tower).loadParameters(model.getNDManager(), in);
                }
            }
            return model;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * The backbone of the model in {@code dir} under another head: {@code architecture}'s tower with the backbone's
     * weights loaded and the head freshly initialised (for head training).
     */
    public static Model loadWithHead(Path dir, ModelMetadata metadata, TowerArchitecture architecture, Device device)
            throws IOException, MalformedModelException {
        ModelMetadata.Backbone backbone = metadata.backbone();
        if (backbone == null || architecture.backboneLayers() == 0) {
            throw new MalformedModelException(dir + " has no imported backbone");
        }
        checkBackbone(dir, backbone);
        Model model = Model.newInstance(architecture.name(), device, "PyTorch");
        try {
            SequentialBlock tower = TowerBuilder.build(architecture);
            model.setBlock(tower);
            tower.initialize(model.getNDManager(), DataType.FLOAT32, TowerBuilder.inputShape(architecture, 1));
            BackboneWeights.apply(TowerBuilder.backboneOf(tower), TfjsWeights.read(dir.resolve(backbone.manifest())));
            return model;
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** @throws IOException when the backbone's weights file is missing or not the one the metadata names */
    static void checkBackbone(Path dir, ModelMetadata.Backbone backbone) throws IOException {
        Path weights = dir.resolve(backbone.weights());
        if (!Files.isRegularFile(weights) || !Files.isRegularFile(dir.resolve(backbone.manifest()))) {
            throw new IOException(dir + ": backbone files " + backbone.manifest() + ", " + backbone.weights()
                    + " missing");
        }
        String actual = contentHash(weights);
        if (!actual.equals(backbone.sha256())) {
            throw new IOException(weights + " has SHA-256 " + actual + ", the metadata expects " + backbone.sha256());
        }
    }

    static Path paramsFile(Path dir) {
        return dir.resolve(PARAMS_PREFIX + "-0000.params");
    }

    public static String contentHash(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256())) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        }
    }

    private static MessageDigest sha256() {
        return Sha256.digest();
    }
}
