package io.faceroster.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * A learned per-channel scale and shift, {@code y = x * weight[c] + bias[c]} on (N, C, H, W): dlib's
 * {@code affine} layer, which is what batch normalisation becomes once training has frozen its statistics.
 * Initialised as the identity.
 */
public final class ChannelScale extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Parameter weight;
    private final Parameter bias;

    public ChannelScale() {
        super(VERSION);
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.GAMMA)
                .optInitializer(Initializer.ONES).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BETA)
                .optInitializer(Initializer.ZEROS).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        long channels = x.getShape().get(1);
        Shape perChannel = new Shape(1, channels, 1, 1);
        NDArray w = store.getValue(weight, x.getDevice(), training).reshape(perChannel);
        NDArray b = store.getValue(bias, x.getDevice(), training).reshape(perChannel);
        return new NDList(x.mul(w).add(b));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape channels = new Shape(inputShapes[0].get(1));
        weight.setShape(channels);
        bias.setShape(channels);
    }
}
