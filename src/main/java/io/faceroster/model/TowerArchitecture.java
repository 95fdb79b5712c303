package io.faceroster.model;

import io.faceroster.imaging.Landmarks;
import java.util.List;

/**
 * A small, JSON-friendly description of a Siamese tower: the input it expects and its layers in a compact
 * text form. {@link TowerBuilder} turns it into a DJL block; the description travels in every model's
 * metadata, so a model directory is self-describing.
 *
 * <p>Layer syntax: {@code conv FILTERS KERNEL [sSTRIDE] [pPADDING]}, {@code bn}, {@code relu},
 * {@code maxpool KERNEL [sSTRIDE]}, {@code avgpool KERNEL [sSTRIDE]}, {@code gap} (global average pool),
 * {@code flatten}, {@code linear UNITS [nobias] [eye]} ({@code eye}: initialised as the identity),
 * {@code scale} (per-channel scale and shift), {@code residual FILTERS}, {@code residual-down FILTERS} (dlib's ResNet
 * units),
 * {@code dropout RATE}, {@code l2norm}; {@code flipcat} ... {@code flipmean} embed each image together with its
 * left-right mirror and average the two (a face is about symmetric, its embedding should be too).
 *
 * @param name           architecture name, e.g. {@code seed}, {@code faceroster-v1} or {@code dlib-resnet}
 * @param inputWidth     tower input width in pixels
 * @param inputHeight    tower input height in pixels
 * @param normalisation  {@link Normalisation} applied to the input pixels
 * @param layers         the layers of the tower, in order: its output is the embedding
 * @param trainingHead   layers stacked on the tower during training only (a projection head); empty when
 *                       the loss is applied to the embedding itself. The head absorbs what is specific to
 *                       the training persons, so the tower's output stays more general.
 * @param colour         whether the tower reads grey or colour input (grey when absent)
 * @param template       where the face's keypoints go in the input; absent for the first towers, which read the
 *                       92x112 box-centred crop resized to their input ({@code imaging.FaceAligner})
 * @param backboneLayers how many of the first {@code layers} are an imported, pretrained backbone: its weights
 *                       come from the model directory's {@code backbone/} folder and head training leaves them as
 *                       they are; the layers after it are the head (0: the whole tower is trained)
 */
public record TowerArchitecture(String name, int inputWidth, int inputHeight, Normalisation normalisation,
                                List<String> layers, List<String> trainingHead, Colour colour, FaceTemplate template,
                                Integer backboneLayers) {

    public TowerArchitecture {
        layers = List.copyOf(layers);
        trainingHead = trainingHead == null ? List.of() : List.copyOf(trainingHead);
        colour = colour == null ? Colour.GREY : colour;
        // Absent from the metadata of models written before backbones existed.
        backboneLayers = backboneLayers == null ? 0 : backboneLayers;
        if (backboneLayers < 0 || backboneLayers > layers.size()) {
            throw new IllegalArgumentException("backboneLayers must be between 0 and the number of layers");
        }
    }

    public TowerArchitecture(String name, int inputWidth, int inputHeight, Normalisation normalisation,
                             List<String> layers, List<String> trainingHead) {
        this(name, inputWidth, inputHeight, normalisation, layers, trainingHead, Colour.GREY, null, 0);
    }

    public TowerArchitecture(String name, int inputWidth, int inputHeight, Normalisation normalisation,
                             List<String> layers) {
        this(name, inputWidth, inputHeight, normalisation, layers, List.of());
    }

    public TowerArchitecture withInput(int width, int height) {
        return new TowerArchitecture(name, width, height, normalisation, layers, trainingHead, colour, template,
                backboneLayers);
    }

    public TowerArchitecture withLayers(List<String> newLayers, List<String> newHead) {
        return new TowerArchitecture(name, inputWidth, inputHeight, normalisation, newLayers, newHead, colour,
                template, backboneLayers);
    }

    /** The same backbone with {@code head} after it (the head's layers replace the current ones). */
    public TowerArchitecture withHead(List<String> head) {
        List<String> all = new java.util.ArrayList<>(backbone());
        all.addAll(head);
        return new TowerArchitecture(name, inputWidth, inputHeight, normalisation, all, trainingHead, colour,
                template, backboneLayers);
    }

    public TowerArchitecture withTemplate(FaceTemplate newTemplate) {
        return new TowerArchitecture(name, inputWidth, inputHeight, normalisation, layers, trainingHead, colour,
                newTemplate, backboneLayers);
    }

    /**
     * The same tower running each face once: without the mirror-image layers ({@code flipcat}, {@code flipmean}),
     * as the network's published implementations run it (reference checks, speed comparisons).
     */
    public TowerArchitecture singlePass() {
        List<String> kept = layers.stream().filter(l -> !l.startsWith("flip")).toList();
        long inBackbone = backbone().stream().filter(l -> !l.startsWith("flip")).count();
        return new TowerArchitecture(name, inputWidth, inputHeight, normalisation, kept, trainingHead, colour, template,
                (int) inBackbone);
    }

    /** The imported backbone's layers (empty when the whole tower is trained). */
    public List<String> backbone() {
        return layers.subList(0, backboneLayers);
    }

    /** The layers after the backbone. */
    public List<String> head() {
        return layers.subList(backboneLayers, layers.size());
    }

    public int channels() {
        return colour == Colour.RGB ? 3 : 1;
    }

    /** Grey (one channel, ITU-R 601 luma) or colour (R, G, B). */
    public enum Colour { GREY, RGB }

    /**
     * Where the input's keypoints go: {@code points} names them ({@code eye1}, {@code eye2}, {@code nose},
     * {@code mouth}; eye1 is the left-most in the image), {@code positions} gives their pixels in the input. The
     * input is cut from the face chip with the least-squares similarity of the chip's keypoints onto these.
     */
    public record FaceTemplate(List<String> points, List<Landmarks.Point> positions) {
        public FaceTemplate {
            points = List.copyOf(points);
            positions = List.copyOf(positions);
            if (points.size() != positions.size() || points.size() < 2) {
                throw new IllegalArgumentException("a template needs two or more named points");
            }
        }

        /** The same points scaled by {@code factor} about {@code (cx, cy)}: below 1 the face gets smaller. */
        public FaceTemplate zoomed(double factor, double cx, double cy) {
            return new FaceTemplate(points, positions.stream().map(p -> new Landmarks.Point(
                    cx + (p.x() - cx) * factor, cy + (p.y() - cy) * factor)).toList());
        }
    }

    /** How pixel intensities in [0, 1] are mapped before the first layer. */
    public enum Normalisation {
        /** Intensities as they are, in [0, 1] (the seed notebook's ToTensor). */
        UNIT,
        /** Per-image zero mean and unit variance: removes global brightness and contrast. */
        STANDARDISE,
        /**
         * dlib's, as face-api.js computes it: each colour channel in 0..255 less the mean (122.782, 117.001,
         * 104.298), divided by 255 (dlib's C++ divides by 256; the descriptors differ by about 2e-4, and the port
         * is checked against face-api's).
         */
        DLIB
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

    /**
     * dlib's face-recognition ResNet (29 convolutions, 150x150 colour input, 128-d descriptor; public-domain weights
     * imported by {@code import-weights}) followed by {@code head}, whose output is the embedding. Each face is run
     * together with its mirror image and the two descriptors averaged (on the LFW training persons this lowered the
     * EER from 0.012 to 0.010 and raised TAR at FAR 0.1% from 0.92 to 0.94, for twice the compute). The input is cut
     * from the face chip onto dlib's chip template by the least-squares similarity of the eyes, nose tip and mouth:
     * eyes (47.7, 47.1) and (100.3, 47.1), mouth (74, 109), nose tip at the chip's geometry (0.58 eye distances below
     * the eyes). The default head, {@link #DLIB_HEAD}, starts as the identity and L2-normalises.
     */
    public static TowerArchitecture dlibResnet(List<String> head) {
        List<String> layers = new java.util.ArrayList<>();
        layers.add("flipcat");
        layers.addAll(DLIB_BACKBONE);
        layers.add("flipmean");
        layers.addAll(head);
        return new TowerArchitecture("dlib-resnet", 150, 150, Normalisation.DLIB, layers, List.of(), Colour.RGB,
                DLIB_TEMPLATE, DLIB_BACKBONE.size() + 2);
    }

    /** A trainable head that starts as the identity, then L2-normalises the embedding. */
    public static final List<String> DLIB_HEAD = List.of("linear 128 eye", "l2norm");

    /** dlib's ResNet as face-api.js runs it: convolution, per-channel scale, residual units, global average. */
    public static final List<String> DLIB_BACKBONE = List.of(
            "conv 32 7 s2", "scale", "relu", "maxpool 3 s2",
            "residual 32", "residual 32", "residual 32",
            "residual-down 64", "residual 64", "residual 64", "residual 64",
            "residual-down 128", "residual 128", "residual 128",
            "residual-down 256", "residual 256", "residual 256",
            "residual-down 256",
            "gap", "linear 128 nobias");

    public static final FaceTemplate DLIB_TEMPLATE = new FaceTemplate(List.of("eye1", "eye2", "nose", "mouth"),
            List.of(new Landmarks.Point(47.7, 47.1), new Landmarks.Point(100.3, 47.1), new Landmarks.Point(74, 77.6),
                    new Landmarks.Point(74, 109)));

    public static TowerArchitecture named(String name) {
        return switch (name) {
            case "seed" -> seed();
            case "faceroster", "faceroster-v1" -> faceroster();
            case "dlib-resnet" -> dlibResnet(DLIB_HEAD);
            default -> throw new IllegalArgumentException("unknown architecture '" + name
                    + "' (known: seed, faceroster-v1, dlib-resnet)");
        };
    }
}
