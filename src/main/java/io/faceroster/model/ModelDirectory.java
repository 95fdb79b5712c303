package io.faceroster.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A model on disk: {@code tower-0000.params} (DJL's parameter format) and {@code metadata.json}. The
 * version is derived from the parameter bytes, so two directories with the same version hold the same
 * tower.
 */
public final class ModelDirectory {

    public static final String PARAMS_PREFIX = "tower";
    public static final String METADATA_FILE = "metadata.json";

    public static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ModelDirectory() {
    }

    /**
     * Writes parameters and metadata into {@code dir}; the version in the written metadata is derived
     * from the parameters. Returns the metadata as written.
     */
    public static ModelMetadata save(Path dir, Model model, ModelMetadata metadata) throws IOException {
        Files.createDirectories(dir);
        model.save(dir, PARAMS_PREFIX);
        ModelMetadata versioned = metadata.withVersion(
                metadata.architecture().name() + "-" + contentHash(paramsFile(dir)).substring(0, 12));
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
            model.setBlock(TowerBuilder.build(metadata.architecture()));
            model.load(dir, PARAMS_PREFIX);
            return model;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    static Path paramsFile(Path dir) {
        return dir.resolve(PARAMS_PREFIX + "-0000.params");
    }

    static String contentHash(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file),
                MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
