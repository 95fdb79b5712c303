package io.faceroster.testsupport;

import java.util.Random;

/** Random embeddings for support-set tests: Gaussian vectors scaled to unit length. */
public final class RandomEmbeddings {

    private RandomEmbeddings() {
    }

    public static float[] unit(Random rng, int dimension) {
        float[] v = new float[dimension];
        double n = 0;
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) rng.nextGaussian();
            n += v[i] * v[i];
        }
        float inv = (float) (1 / Math.sqrt(n));
        for (int i = 0; i < dimension; i++) {
            v[i] *= inv;
        }
        return v;
    }
}
