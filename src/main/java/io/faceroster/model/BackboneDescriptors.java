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
        int c = architecture.channels();
        int h = architecture.inputHeight();
        int w = architecture.inputWidth();
        return ofInputs(chips.stream().map(chip -> {
            float[] one = TowerInput.prepare(chip, architecture);
            return mirrored ? mirror(one, c, h, w) : one;
        }).toList());
    }

    /** One descriptor per prepared input ({@link TowerInput}: channels x height x width, normalised). */
    public List<float[]> ofInputs(List<float[]> inputs) {
        List<float[]> out = new ArrayList<>(inputs.size());
        for (int from = 0; from < inputs.size(); from += BATCH) {
            List<float[]> batch = inputs.subList(from, Math.min(inputs.size(), from + BATCH));
            float[] input = new float[batch.size() * batch.get(0).length];
            for (int i = 0; i < batch.size(); i++) {
                System.arraycopy(batch.get(i), 0, input, i * batch.get(i).length, batch.get(i).length);
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
