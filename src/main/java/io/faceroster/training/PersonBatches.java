package io.faceroster.training;

import io.faceroster.imaging.GreyImage;
import io.faceroster.model.TowerArchitecture;
import io.faceroster.model.TowerInput;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * P persons x K images per batch, every pair in the batch scored. An epoch shows each training image
 * about once. Augmentation is drawn fresh for every image of every batch.
 */
final class PersonBatches implements BatchSource {
    private final List<List<GreyImage>> data;
    private final TrainingOptions options;
    private final Random rng;
    private final int personsPerBatch;
    private final int total;

    PersonBatches(List<List<GreyImage>> data, TrainingOptions options, Random rng) {
        this.data = data;
        this.options = options;
        this.rng = rng;
        this.personsPerBatch = Math.min(data.size(), Math.max(2, options.batchSize() / options.imagesPerPerson()));
        this.total = data.stream().mapToInt(List::size).sum();
    }

    @Override
    public Batch next() {
        int k = options.imagesPerPerson();
        List<Integer> persons = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            persons.add(i);
        }
        Collections.shuffle(persons, rng);
        TowerArchitecture arch = options.architecture();
        int pixels = arch.inputWidth() * arch.inputHeight();
        float[] x = new float[personsPerBatch * k * pixels];
        float[] y = new float[personsPerBatch * k];
        int row = 0;
        for (int p = 0; p < personsPerBatch; p++) {
            List<GreyImage> images = data.get(persons.get(p));
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                order.add(i);
            }
            Collections.shuffle(order, rng);
            for (int i = 0; i < k; i++) {
                GreyImage img = options.augmentation().apply(images.get(order.get(i % order.size())), rng);
                float[] input = TowerInput.normalise(img.pixels(), arch.normalisation());
                System.arraycopy(input, 0, x, row * pixels, pixels);
                y[row++] = persons.get(p);
            }
        }
        return new Batch(List.of(x), y, 1);
    }

    @Override
    public int stepsPerEpoch() {
        return Math.max(1, (int) Math.ceil((double) total / (personsPerBatch * options.imagesPerPerson())));
    }

    @Override
    public double pairsPerStep() {
        int n = personsPerBatch * options.imagesPerPerson();
        return n * (n - 1) / 2.0;
    }
}
