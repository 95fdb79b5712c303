package io.faceroster.model;

import io.faceroster.imaging.GreyImage;
import io.faceroster.imaging.Resampling;

/** Turns a face crop into the tower's input values; shared by inference and training so they never drift. */
public final class TowerInput {

    private TowerInput() {
    }

    /** Resizes the crop to the tower input and applies the architecture's normalisation. */
    public static float[] prepare(GreyImage crop, TowerArchitecture architecture) {
        return normalise(resize(crop, architecture).pixels(), architecture.normalisation());
    }

    public static GreyImage resize(GreyImage crop, TowerArchitecture architecture) {
        return Resampling.resize(crop, architecture.inputWidth(), architecture.inputHeight());
    }

    public static float[] normalise(float[] pixels, TowerArchitecture.Normalisation normalisation) {
        if (normalisation == TowerArchitecture.Normalisation.UNIT) {
            return pixels.clone();
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
}
