package io.faceroster.training;

import io.faceroster.imaging.GreyImage;
import io.faceroster.model.TowerInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The seed notebook's sampling: the first image uniform over all training images; with probability 1/2
 * the partner is drawn until one of the same person (possibly the same image), else until another
 * person's. Label 0 = same, 1 = different. Two forward passes per step, as in the reference.
 */
final class PairBatches implements BatchSource {
    private final List<float[]> images = new ArrayList<>();
    private final List<Integer> personOf = new ArrayList<>();
    private final TrainingOptions options;
    private final Random rng;
    private int drawnThisEpoch;

    PairBatches(List<List<GreyImage>> data, TrainingOptions options, Random rng) {
        this.options = options;
        this.rng = rng;
        for (int p = 0; p < data.size(); p++) {
            for (GreyImage img : data.get(p)) {
                images.add(TowerInput.normalise(img.pixels(), options.architecture().normalisation()));
                personOf.add(p);
            }
        }
    }

    @Override
    public Batch next() {
        int size = Math.min(options.batchSize(), options.pairsPerEpoch() - drawnThisEpoch);
        drawnThisEpoch = (drawnThisEpoch + size) % options.pairsPerEpoch();
        int pixels = images.get(0).length;
        float[] a = new float[size * pixels];
        float[] b = new float[size * pixels];
        float[] y = new float[size];
        for (int i = 0; i < size; i++) {
            int first = rng.nextInt(images.size());
            boolean same = rng.nextInt(2) == 1;
            int second;
            do {
                second = rng.nextInt(images.size());
            } while (personOf.get(second).equals(personOf.get(first)) != same);
            System.arraycopy(images.get(first), 0, a, i * pixels, pixels);
            System.arraycopy(images.get(second), 0, b, i * pixels, pixels);
            y[i] = same ? 0f : 1f;
        }
        return new Batch(List.of(a, b), y, size);
    }

    @Override
    public int stepsPerEpoch() {
        return (options.pairsPerEpoch() + options.batchSize() - 1) / options.batchSize();
    }

    @Override
    public double pairsPerStep() {
        return (double) options.pairsPerEpoch() / stepsPerEpoch();
    }
}
