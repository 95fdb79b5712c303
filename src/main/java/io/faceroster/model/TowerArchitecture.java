package io.faceroster.model;

import java.util.List;

/**
 * A small, JSON-friendly description of a Siamese tower: the input it expects and its layers in a compact
 * text form. {@link TowerBuilder} turns it into a DJL block; the description travels in every model's
 * metadata, so a model directory is self-describing.
 *
 * <p>Layer syntax: {@code conv FILTERS KERNEL [sSTRIDE] [pPADDING]}, {@code bn}, {@code relu},
 * {@code maxpool KERNEL [sSTRIDE]}, {@code avgpool KERNEL [sSTRIDE]}, {@code gap} (global average pool),
 * {@code flatten}, {@code linear UNITS},
 * {@code dropout RATE}, {@code l2norm}; {@code flipcat} ... {@code flipmean} embed each image together with its
 * left-right mirror and average the two (a face is about symmetric, its embedding should be too).
 *
 * @param name          architecture name, e.g. {@code seed} or {@code faceroster-v1}
 * @param inputWidth    tower input width in pixels
 * @param inputHeight   tower input height in pixels
 * @param normalisation {@link Normalisation} applied to the resized grey crop
 * @param layers        the layers of the tower, in order: its output is the embedding
 * @param trainingHead  layers stacked on the tower during training only (a projection head); empty when
 *                      the loss is applied to the embedding itself. The head absorbs what is specific to
 *                      the training persons, so the tower's output stays more general.
 */
public record TowerArchitecture(String name, int inputWidth, int inputHeight, Normalisation normalisation,
                                List<String> layers, List<String> trainingHead) {

    public TowerArchitecture {
        layers = List.copyOf(layers);
        trainingHead = trainingHead == null ? List.of() : List.copyOf(trainingHead);
    }

    public TowerArchitecture(String name, int inputWidth, int inputHeight, Normalisation normalisation,
                             List<String> layers) {
        this(name, inputWidth, inputHeight, normalisation, layers, List.of());
    }

    public TowerArchitecture withInput(int width, int height) {
        return new TowerArchitecture(name, width, height, normalisation, layers, trainingHead);
    }

    public TowerArchitecture withLayers(List<String> newLayers, List<String> newHead) {
        return new TowerArchitecture(name, inputWidth, inputHeight, normalisation, newLayers, newHead);
    }

    /** How pixel intensities in [0, 1] are mapped before the first layer. */
    public enum Normalisation {
        /** Intensities as they are, in [0, 1] (the seed notebook's ToTensor). */
        UNIT,
        /** Per-image zero mean and unit variance: removes global brightness and contrast. */
        STANDARDISE
    }

    /**
     * The seed notebook's network, layer for layer (see the evaluation protocol): 128x128 grey in [0,1],
     * two conv blocks, Linear 3136-256-128-32-2.
     */
    public static TowerArchitecture seed() {
        return new TowerArchitecture("seed", 128, 128, Normalisation.UNIT, List.of(
                "conv 96 5 s2", "bn", "relu", "maxpool 3 s2",
                "conv 64 3 s2", "bn", "relu", "maxpool 2 s2",
                "flatten",
                "linear 256", "relu", "linear 128", "relu", "linear 32", "relu", "linear 2"));
    }

    /**
     * FaceRoster's tower: a 64x64 grey input in [0, 1] (absolute brightness carries identity information that
     * per-image standardisation threw away in our measurements), four 3x3 conv stages, global average
     * pooling and an L2-normalised 128-d embedding. Global pooling generalised to unseen persons better than
     * flattening the last feature map; embedding each face together with its mirror image and averaging
     * ({@code flipcat}/{@code flipmean}) raised TAR and DIR at FAR 1% the most. Small enough to train in
     * minutes on two cores.
     */
    public static TowerArchitecture faceroster() {
        return new TowerArchitecture("faceroster-v1", 64, 64, Normalisation.UNIT, List.of(
                "flipcat",
                "conv 32 3 s1 p1", "bn", "relu", "maxpool 2 s2",
                "conv 64 3 s1 p1", "bn", "relu", "maxpool 2 s2",
                "conv 128 3 s1 p1", "bn", "relu", "maxpool 2 s2",
                "conv 128 3 s1 p1", "bn", "relu", "gap",
                "linear 128", "flipmean", "l2norm"));
    }

    public static TowerArchitecture named(String name) {
        return switch (name) {
            case "seed" -> seed();
            case "faceroster", "faceroster-v1" -> faceroster();
            default -> throw new IllegalArgumentException("unknown architecture '" + name
                    + "' (known: seed, faceroster-v1)");
        };
    }
}
