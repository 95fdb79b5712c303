package io.faceroster.imaging;

import java.util.List;

/**
 * A face aligned to FaceRoster's canonical layout: a {@value #SIZE}x{@value #SIZE} colour image in which the
 * least-squares similarity of the detected keypoints puts the eyes at ({@code 84, 92}) and ({@code 140, 92}), the
 * nose tip at ({@code 112, 124.5}) and the mouth centre at ({@code 112, 153.6}), with the keypoints and the
 * detector's box as they landed in the chip. The template is the mean BlazeFace geometry of the LFW training
 * persons (nose 0.58, mouth 1.10 eye distances below the eyes), scaled to an eye distance of 56 px; the margin
 * around the face (the chip spans four eye distances) is wide enough to re-cut every architecture's input from it,
 * including dlib's 150x150 template at zoom 1.1 and the 92x112 box layout of the earlier towers. One chip is stored
 * per face sample.
 *
 * @param image     the chip
 * @param landmarks keypoints and box in chip pixels
 * @param source    how the landmarks were obtained
 */
public record FaceChip(RgbImage image, Landmarks landmarks, Source source) {

    public static final int SIZE = 224;
    public static final double EYE_DISTANCE = 56;
    public static final List<String> TEMPLATE_POINTS = List.of("eye1", "eye2", "nose", "mouth");
    public static final List<Landmarks.Point> TEMPLATE = List.of(new Landmarks.Point(84, 92),
            new Landmarks.Point(140, 92), new Landmarks.Point(112, 124.5), new Landmarks.Point(112, 153.6));

    /** Where the landmarks come from. */
    public enum Source {
        /** Found by the face detector in the uploaded photo. */
        DETECTED,
        /**
         * Assumed: the upload (with detection skipped) or a crop stored before chips existed was taken as a face
         * crop framed like the 92x112 layout of FaceRoster's first tower.
         */
        NOMINAL
    }

    public FaceChip {
        if (image.width() != SIZE || image.height() != SIZE) {
            throw new IllegalArgumentException("a face chip is " + SIZE + "x" + SIZE + ", not " + image.width() + "x"
                    + image.height());
        }
    }
}
