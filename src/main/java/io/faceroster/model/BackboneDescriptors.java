package io.faceroster.model;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import io.faceroster.imaging.FaceChip;
import java.util.ArrayList;
import java.util.List;

/**
 * The imported backbone's descriptors of face chips, without the head: what head training learns from. Each chip
 * can also be read mirrored (left-right), which doubles the training data for free (a face and its mirror image
 * are the same person). Runs in batches, each in its own NDManager.
 */
public final class BackboneDescriptors {

    private static final int BATCH = 16;

    private final Model tower;
    private final TowerArchitecture architecture;
    private final Block backbone;

    /** @param tower a loaded tower whose architecture has a backbone */
    public BackboneDescriptors(Model tower, TowerArchitecture architecture) {
        if (architecture.backboneLayers() == 0) {
            throw new IllegalArgumentException(architecture.name() + " has no imported backbone");
        }
        this.tower = tower;
        this.architecture = architecture;
        this.backbone = TowerBuilder.backboneOf((SequentialBlock) tower.getBlock());
    }

    /** One descriptor per chip, in order; {@code mirrored} reads each chip flipped left to right. */
    public List<float[]> of(List<FaceChip> chips, boolean mirrored) {
        List<float[]> out = new ArrayList<>(chips.size());
        int c = architecture.channels();
        int h = architecture.inputHeight();
        int w = architecture.inputWidth();
        for (int from = 0; from < chips.size(); from += BATCH) {
            List<FaceChip> batch = chips.subList(from, Math.min(chips.size(), from + BATCH));
            float[] input = new float[batch.size() * c * h * w];
            for (int i = 0; i < batch.size(); i++) {
                float[] one = TowerInput.prepare(batch.get(i), architecture);
                System.arraycopy(mirrored ? mirror(one, c, h, w) : one, 0, input, i * one.length, one.length);
            }
            try (NDManager manager = tower.getNDManager().newSubManager()) {
                NDArray x = manager.create(input, TowerBuilder.inputShape(architecture, batch.size()));
                NDArray d = backbone.forward(new ParameterStore(manager, false), new NDList(x), false)
                        .singletonOrThrow();
                long dim = d.getShape().get(1);
                float[] all = d.toFloatArray();
                for (int i = 0; i < batch.size(); i++) {
                    float[] one = new float[(int) dim];
                    System.arraycopy(all, (int) (i * dim), one, 0, one.length);
                    out.add(one);
                }
            }
        }
        return out;
    }

    static float[] mirror(float[] chw, int channels, int height, int width) {
        float[] out = new float[chw.length];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                int row = (c * height + y) * width;
                for (int x = 0; x < width; x++) {
                    out[row + x] = chw[row + width - 1 - x];
                }
            }
        }
        return out;
    }
}
