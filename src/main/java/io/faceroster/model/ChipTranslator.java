package io.faceroster.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.faceroster.imaging.FaceChip;

/**
 * A tower's pre- and post-processing in DJL's terms: the architecture's input cut from the face chip and
 * normalised ({@link TowerInput}), and the embedding read back as a vector.
 */
final class ChipTranslator implements Translator<FaceChip, float[]> {

    private final TowerArchitecture architecture;

    ChipTranslator(TowerArchitecture architecture) {
        this.architecture = architecture;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, FaceChip chip) {
        float[] input = TowerInput.prepare(chip, architecture);
        return new NDList(ctx.getNDManager().create(input,
                new Shape(architecture.channels(), architecture.inputHeight(), architecture.inputWidth())));
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        return list.singletonOrThrow().toFloatArray();
    }
}
