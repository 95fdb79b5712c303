package io.faceroster.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One residual unit of dlib's face-recognition ResNet: {@code relu(x + scale(conv(relu(scale(conv(x))))))} with
 * 3x3 convolutions. The down-sampling variant strides its first convolution by 2 without padding and takes the
 * shortcut through a 2x2 average pool, padded with zero channels up to the new width; when the two paths come out
 * one pixel apart in size (odd feature maps), the main path is padded with zeros at the bottom and right, as
 * dlib's {@code add_prev} does.
 */
public final class ResidualBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final boolean down;
    private final Block conv1;
    private final Block scale1;
    private final Block conv2;
    private final Block scale2;
    private final Block pool = Pool.avgPool2dBlock(new Shape(2, 2), new Shape(2, 2));

    /**
     * @param filters output channels
     * @param down    halve the resolution (stride 2) and let the shortcut widen to {@code filters}
     */
    public ResidualBlock(int filters, boolean down) {
        super(VERSION);
        this.down = down;
        conv1 = addChildBlock("conv1", Conv2d.builder().setFilters(filters).setKernelShape(new Shape(3, 3))
                .optStride(down ? new Shape(2, 2) : new Shape(1, 1))
                .optPadding(down ? new Shape(0, 0) : new Shape(1, 1)).build());
        scale1 = addChildBlock("scale1", new ChannelScale());
        conv2 = addChildBlock("conv2", Conv2d.builder().setFilters(filters).setKernelShape(new Shape(3, 3))
                .optPadding(new Shape(1, 1)).build());
        scale2 = addChildBlock("scale2", new ChannelScale());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDList out = conv1.forward(store, inputs, training, params);
        out = scale1.forward(store, out, training, params);
        out = new NDList(Activation.relu(out.singletonOrThrow()));
        out = conv2.forward(store, out, training, params);
        NDArray main = scale2.forward(store, out, training, params).singletonOrThrow();
        NDArray shortcut = x;
        if (down) {
            shortcut = pool.forward(store, new NDList(x), training, params).singletonOrThrow();
            long extraChannels = main.getShape().get(1) - shortcut.getShape().get(1);
            if (extraChannels > 0) {
                shortcut = shortcut.pad(new Shape(0, 0, 0, 0, 0, extraChannels), 0);
            }
            long extraRows = shortcut.getShape().get(2) - main.getShape().get(2);
            long extraColumns = shortcut.getShape().get(3) - main.getShape().get(3);
            if (extraRows > 0 || extraColumns > 0) {
                main = main.pad(new Shape(0, extraColumns, 0, extraRows), 0);
            }
        }
        return new NDList(Activation.relu(main.add(shortcut)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        Shape main = conv2.getOutputShapes(conv1.getOutputShapes(inputShapes))[0];
        if (!down) {
            return new Shape[] {main};
        }
        Shape pooled = pool.getOutputShapes(new Shape[] {in})[0];
        return new Shape[] {new Shape(in.get(0), main.get(1), Math.max(main.get(2), pooled.get(2)),
                Math.max(main.get(3), pooled.get(3)))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv1.initialize(manager, dataType, inputShapes);
        Shape[] afterConv1 = conv1.getOutputShapes(inputShapes);
        scale1.initialize(manager, dataType, afterConv1);
        conv2.initialize(manager, dataType, afterConv1);
        scale2.initialize(manager, dataType, conv2.getOutputShapes(afterConv1));
    }
}
