package io.faceroster.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.Initializer;
import java.util.List;

/** The one place where a {@link TowerArchitecture} becomes a DJL {@link Block}. */
public final class TowerBuilder {

    private TowerBuilder() {
    }

    public static Shape inputShape(TowerArchitecture architecture, int batch) {
        return new Shape(batch, architecture.channels(), architecture.inputHeight(), architecture.inputWidth());
    }

    /**
     * The tower: image in, embedding out. With an imported backbone the tower is two blocks in sequence, the
     * backbone ({@link #backboneOf}) and the head ({@link #headOf}), so that each can be saved, loaded or trained on
     * its own; otherwise it is one flat sequence of layers.
     */
    public static SequentialBlock build(TowerArchitecture architecture) {
        if (architecture.backboneLayers() == 0) {
            return sequence(architecture.layers());
        }
        return new SequentialBlock().add(sequence(architecture.backbone())).add(buildHeadOnly(architecture));
    }

    /** The backbone of a tower built by {@link #build} for an architecture with one. */
    public static Block backboneOf(SequentialBlock tower) {
        return tower.getChildren().get(0).getValue();
    }

    /** The head of a tower built by {@link #build} for an architecture with a backbone. */
    public static Block headOf(SequentialBlock tower) {
        return tower.getChildren().get(1).getValue();
    }

    /** The head alone, for training it on backbone descriptors; the identity when the head has no layers. */
    public static SequentialBlock buildHeadOnly(TowerArchitecture architecture) {
        return architecture.head().isEmpty() ? new SequentialBlock().add(Blocks.identityBlock())
                : sequence(architecture.head());
    }

    /** The training head alone (empty block when the architecture has none). */
    public static SequentialBlock buildHead(TowerArchitecture architecture) {
        return sequence(architecture.trainingHead());
    }

    private static SequentialBlock sequence(List<String> layers) {
        SequentialBlock block = new SequentialBlock();
        for (String layer : layers) {
            block.add(layer(layer.trim()));
        }
        return block;
    }

    private static Block layer(String spec) {
        String[] t = spec.split("\\s+");
        try {
            return switch (t[0]) {
                case "conv" -> withTorchInit(Conv2d.builder()
                        .setFilters(Integer.parseInt(t[1]))
                        .setKernelShape(square(Integer.parseInt(t[2])))
                        .optStride(square(option(t, 's', 1)))
                        .optPadding(square(option(t, 'p', 0)))
                        .build());
                case "bn" -> BatchNorm.builder().build();
                case "relu" -> Activation.reluBlock();
                case "maxpool" -> Pool.maxPool2dBlock(square(Integer.parseInt(t[1])),
                        square(option(t, 's', Integer.parseInt(t[1]))));
                case "avgpool" -> Pool.avgPool2dBlock(square(Integer.parseInt(t[1])),
                        square(option(t, 's', Integer.parseInt(t[1]))));
                case "gap" -> Pool.globalAvgPool2dBlock();
                case "flatten" -> Blocks.batchFlattenBlock();
                case "linear" -> hasFlag(t, "eye") ? identityInit(Linear.builder().setUnits(Long.parseLong(t[1]))
                        .optBias(!hasFlag(t, "nobias")).build())
                        : withTorchInit(Linear.builder().setUnits(Long.parseLong(t[1]))
                        .optBias(!hasFlag(t, "nobias")).build());
                case "scale" -> new ChannelScale();
                case "residual" -> withTorchInit(new ResidualBlock(Integer.parseInt(t[1]), false));
                case "residual-down" -> withTorchInit(new ResidualBlock(Integer.parseInt(t[1]), true));
                case "dropout" -> Dropout.builder().optRate(Float.parseFloat(t[1])).build();
                case "l2norm" -> new LambdaBlock(TowerBuilder::l2Normalise, "l2norm");
                case "flipcat" -> new LambdaBlock(TowerBuilder::withMirrorImages, "flipcat");
                case "flipmean" -> new LambdaBlock(TowerBuilder::averageMirrorPairs, "flipmean");
                default -> throw new IllegalArgumentException("unknown layer type");
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad layer '" + spec + "': " + e.getMessage(), e);
        }
    }

    private static NDList l2Normalise(NDList in) {
        NDArray x = in.singletonOrThrow();
        NDArray norm = x.square().sum(new int[] {1}, true).add(1e-12f).sqrt();
        return new NDList(x.div(norm));
    }

    /** Appends the left-right mirror of every image to the batch: (N,C,H,W) -> (2N,C,H,W). */
    private static NDList withMirrorImages(NDList in) {
        NDArray x = in.singletonOrThrow();
        return new NDList(NDArrays.concat(new NDList(x, x.flip(3)), 0));
    }

    /** Averages each image's features with its mirror's: (2N,D) -> (N,D). Pairs with {@code flipcat}. */
    private static NDList averageMirrorPairs(NDList in) {
        NDArray x = in.singletonOrThrow();
        long n = x.getShape().get(0) / 2;
        return new NDList(x.get("0:" + n).add(x.get(n + ":")).div(2f));
    }

    private static boolean hasFlag(String[] tokens, String flag) {
        for (int i = 1; i < tokens.length; i++) {
            if (tokens[i].equals(flag)) {
                return true;
            }
        }
        return false;
    }

    private static int option(String[] tokens, char prefix, int fallback) {
        for (int i = 1; i < tokens.length; i++) {
            if (tokens[i].charAt(0) == prefix) {
                return Integer.parseInt(tokens[i].substring(1));
            }
        }
        return fallback;
    }

    private static Shape square(int n) {
        return new Shape(n, n);
    }

    /**
     * PyTorch initialises Conv2d and Linear weights and biases uniformly in +-1/sqrt(fan_in). Using the same
     * scheme keeps the {@code seed} architecture's training comparable with the PyTorch reference.
     */
    private static Block withTorchInit(Block block) {
        TorchDefaultInit init = new TorchDefaultInit();
        for (var p : block.getParameters()) {
            Parameter parameter = p.getValue();
            if (parameter.getType() == Parameter.Type.WEIGHT || parameter.getType() == Parameter.Type.BIAS) {
                parameter.setInitializer(init);
            }
        }
        return block;
    }

    /**
     * {@code linear N eye}: starts as the identity (weight = I, bias = 0), so a head stacked on a pretrained backbone
     * begins as exactly the backbone and training moves it only as far as the data asks.
     */
    private static Block identityInit(Block block) {
        for (var p : block.getParameters()) {
            Parameter parameter = p.getValue();
            if (parameter.getType() == Parameter.Type.WEIGHT) {
                parameter.setInitializer((manager, shape, dataType) -> {
                    if (shape.dimension() != 2 || shape.get(0) != shape.get(1)) {
                        throw new IllegalArgumentException("an identity-initialised linear layer must be square, "
                                + "not " + shape);
                    }
                    return manager.eye((int) shape.get(0)).toType(dataType, false);
                });
            } else if (parameter.getType() == Parameter.Type.BIAS) {
                parameter.setInitializer(Initializer.ZEROS);
            }
        }
        return block;
    }

    /** Remembers the fan-in seen on the weight so that the bias (initialised after it) uses the same bound. */
    private static final class TorchDefaultInit implements Initializer {
        private long fanIn = -1;

        @Override
        public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
            if (shape.dimension() > 1) {
                fanIn = shape.size() / shape.get(0);
            } else if (fanIn < 0) {
                throw new IllegalStateException("bias initialised before its weight");
            }
            float bound = (float) (1.0 / Math.sqrt(fanIn));
            return manager.randomUniform(-bound, bound, shape, dataType);
        }
    }
}
