package io.faceroster.training;

import java.util.List;

/** Where a whole-tower training run draws its steps from: pairs (the seed notebook's) or persons x images. */
interface BatchSource {

    /** One step's worth of tower inputs (one array per forward pass), labels and loss weight. */
    record Batch(List<float[]> inputs, float[] labels, int weight) {
    }

    Batch next();

    int stepsPerEpoch();

    double pairsPerStep();
}
