package io.faceroster.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import io.faceroster.imaging.RgbImage;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The imported dlib ResNet in DJL against the published implementation: face-api.js 1.7.15 computed the descriptor
 * of a drawn 150x150 chip under Node with TF.js's CPU backend ({@code tools/reference/}); the shipped backbone must
 * reproduce it to 1e-4 on every component. Catches a wrong layout transposition, padding side, down-sampling block
 * or input scaling (each moves the descriptor by 1e-4 to 0.2).
 */
class DlibResnetReferenceTest {

    @Test
    void theShippedBackboneReproducesFaceApisDescriptorOfTheReferenceChip() throws Exception {
        Path dir = shippedDlibModel();
        ModelMetadata metadata = ModelDirectory.readMetadata(dir);
        JsonNode reference = ModelDirectory.JSON.readTree(resource("descriptor.json"));
        assertThat(reference.get("source").get("weightsSha256").asString()).isEqualTo(metadata.backbone().sha256());
        RgbImage chip;
        try (InputStream in = resource("chip.png")) {
            chip = RgbImage.of(ImageIO.read(in));
        }
        float[] descriptor;
        // The backbone as face-api runs it: one pass, without the shipped tower's mirror-image averaging.
        TowerArchitecture single = metadata.architecture().singlePass();
        try (Model model = ModelDirectory.loadWithHead(dir, metadata, single, Device.cpu())) {
            BackboneDescriptors backbone = new BackboneDescriptors(model, single);
            descriptor = backbone.ofInputs(List.of(TowerInput.normalised(chip, single))).get(0);
        }
        JsonNode expected = reference.get("descriptor");
        assertThat(descriptor).hasSize(expected.size());
        double worst = 0;
        for (int i = 0; i < descriptor.length; i++) {
            worst = Math.max(worst, Math.abs(descriptor[i] - expected.get(i).asDouble()));
        }
        assertThat(worst).as("largest difference from face-api's descriptor").isLessThanOrEqualTo(1e-4);
    }

    /** The active model when it is dlib's ResNet, else any dlib-resnet version of the shipped store. */
    static Path shippedDlibModel() throws Exception {
        Path store = Path.of("models");
        Path active = ModelStore.activeDirectory(store);
        if (ModelDirectory.readMetadata(active).architecture().backboneLayers() > 0) {
            return active;
        }
        for (Path version : ModelStore.versions(store)) {
            if (ModelDirectory.readMetadata(version).architecture().name().equals("dlib-resnet")) {
                return version;
            }
        }
        throw new AssertionError("no dlib-resnet model in " + store.toAbsolutePath());
    }

    private static InputStream resource(String name) {
        InputStream in = DlibResnetReferenceTest.class.getResourceAsStream("/models/dlib-reference/" + name);
        assertThat(in).as(name).isNotNull();
        return in;
    }
}
