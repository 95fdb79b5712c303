package io.faceroster.model;

import io.faceroster.imaging.FaceAligner;
import io.faceroster.imaging.FaceChip;
import io.faceroster.imaging.GreyImage;
import io.faceroster.imaging.RgbImage;
import io.faceroster.imaging.Resampling;
import io.faceroster.imaging.Similarity;

/**
 * Turns a face chip into a tower's input values (channels first); shared by inference, evaluation and training so
 * they never drift. Architectures with a {@link TowerArchitecture.FaceTemplate} get their input cut from the chip
 * onto their template; the first towers get the 92x112 box-centred grey crop resized to their input.
 */
public final class TowerInput {

    private static final float[] DLIB_MEAN = {122.782f, 117.001f, 104.298f};

    private TowerInput() {
    }

    /** The input values for {@code chip}: {@code channels x height x width}, normalised. */
    public static float[] prepare(FaceChip chip, TowerArchitecture architecture) {
        if (architecture.template() == null) {
            return normalise(resize(FaceAligner.legacyCrop(chip), architecture).pixels(), architecture.normalisation());
        }
        return normalised(cut(chip, architecture), architecture);
    }

    /** An input image already cut to the architecture's template, normalised (template architectures only). */
    public static float[] normalised(RgbImage input, TowerArchitecture architecture) {
        if (input.width() != architecture.inputWidth() || input.height() != architecture.inputHeight()) {
            throw new IllegalArgumentException("input must be " + architecture.inputWidth() + "x"
                    + architecture.inputHeight());
        }
        return architecture.colour() == TowerArchitecture.Colour.GREY
                ? normalise(input.grey().pixels(), architecture.normalisation())
                : normaliseColour(input, architecture.normalisation());
    }

    /** The architecture's input image cut from the chip (template architectures only). */
    public static RgbImage cut(FaceChip chip, TowerArchitecture architecture) {
        TowerArchitecture.FaceTemplate t = architecture.template();
        Similarity toInput = Similarity.fit(chip.landmarks().points(t.points()), t.positions());
        return Resampling.warpAffine(chip.image(), architecture.inputWidth(), architecture.inputHeight(),
                toInput.inverse().toMatrix());
    }

    public static GreyImage resize(GreyImage crop, TowerArchitecture architecture) {
        return Resampling.resize(crop, architecture.inputWidth(), architecture.inputHeight());
    }

    public static float[] normalise(float[] pixels, TowerArchitecture.Normalisation normalisation) {
        if (normalisation == TowerArchitecture.Normalisation.UNIT) {
            return pixels.clone();
        }
        if (normalisation == TowerArchitecture.Normalisation.DLIB) {
            float[] out = new float[pixels.length];
            float mean = (DLIB_MEAN[0] + DLIB_MEAN[1] + DLIB_MEAN[2]) / 3;
            for (int i = 0; i < pixels.length; i++) {
                out[i] = (pixels[i] * 255f - mean) / 255f;
            }
            return out;
        }
        double sum = 0;
        for (float v : pixels) {
            sum += v;
        }
        double mean = sum / pixels.length;
        double var = 0;
        for (float v : pixels) {
            var += (v - mean) * (v - mean);
        }
        // A floor on the deviation keeps flat images (blank frames) from blowing up to huge values.
        double std = Math.max(Math.sqrt(var / pixels.length), 1e-2);
        float[] out = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            out[i] = (float) ((pixels[i] - mean) / std);
        }
        return out;
    }

    private static float[] normaliseColour(RgbImage image, TowerArchitecture.Normalisation normalisation) {
        int plane = image.width() * image.height();
        float[] out = new float[3 * plane];
        byte[] rgb = image.rgb();
        for (int c = 0; c < 3; c++) {
            float mean = normalisation == TowerArchitecture.Normalisation.DLIB ? DLIB_MEAN[c] : 0f;
            float divisor = 255f;
            for (int i = 0; i < plane; i++) {
                out[c * plane + i] = ((rgb[3 * i + c] & 0xff) - mean) / divisor;
            }
        }
        if (normalisation == TowerArchitecture.Normalisation.STANDARDISE) {
            return normalise(out, normalisation);
        }
        return out;
    }
}
