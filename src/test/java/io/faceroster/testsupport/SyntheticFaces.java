package io.faceroster.testsupport;

import io.faceroster.imaging.FaceChip;
import io.faceroster.imaging.FaceChips;
import io.faceroster.imaging.GreyImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generated stand-ins for face photos, for tests that must run without the ORL images: each identity is a
 * fixed arrangement of soft blobs (its "features"), each sample of it a slightly shifted, re-lit and noisy
 * rendering, so identities are separable but samples are never identical.
 */
public final class SyntheticFaces {

    private SyntheticFaces() {
    }

    public static List<List<GreyImage>> identities(int count, int samplesEach, int width, int height, long seed) {
        List<List<GreyImage>> out = new ArrayList<>();
        for (int id = 0; id < count; id++) {
            List<GreyImage> samples = new ArrayList<>();
            for (int s = 0; s < samplesEach; s++) {
                samples.add(sample(id, s, width, height, seed));
            }
            out.add(samples);
        }
        return out;
    }

    /** The same identities as face chips (each image taken as a face crop, as with detect=false). */
    public static List<List<FaceChip>> chips(int count, int samplesEach, int width, int height, long seed) {
        return identities(count, samplesEach, width, height, seed).stream()
                .map(samples -> samples.stream().map(FaceChips::fromLegacyCrop).toList()).toList();
    }

    public static GreyImage sample(int identity, int sample, int width, int height, long seed) {
        Random shape = new Random(seed * 7919 + identity);
        int blobs = 6;
        double[][] b = new double[blobs][4];
        for (int i = 0; i < blobs; i++) {
            b[i][0] = 0.15 + 0.7 * shape.nextDouble();   // x
            b[i][1] = 0.15 + 0.7 * shape.nextDouble();   // y
            b[i][2] = 0.06 + 0.12 * shape.nextDouble();  // radius
            b[i][3] = shape.nextBoolean() ? 0.6 : -0.4;   // bright or dark
        }
        Random noise = new Random(seed * 104729 + identity * 1000L + sample);
        double dx = (noise.nextDouble() - 0.5) * 0.06;
        double dy = (noise.nextDouble() - 0.5) * 0.06;
        double gain = 0.85 + 0.3 * noise.nextDouble();
        float[] p = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double u = (x + 0.5) / width - dx;
                double v = (y + 0.5) / height - dy;
                double value = 0.4;
                for (double[] blob : b) {
                    double r2 = ((u - blob[0]) * (u - blob[0]) + (v - blob[1]) * (v - blob[1])) / (blob[2] * blob[2]);
                    value += blob[3] * Math.exp(-r2);
                }
                value = value * gain + noise.nextGaussian() * 0.03;
                p[y * width + x] = (float) Math.max(0, Math.min(1, value));
            }
        }
        return new GreyImage(width, height, p);
    }
}
