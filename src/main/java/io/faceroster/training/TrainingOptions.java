package io.faceroster.training;

import io.faceroster.model.TowerArchitecture;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyper-parameters of one training run.
 *
 * @param architecture   the tower to train
 * @param sampling       {@link Sampling#PAIRS} (the seed notebook's random pairs), {@link Sampling#BATCH_ALL}
 *                       (every pair of a persons x images batch, margin loss) or {@link Sampling#BATCH_NCE}
 *                       (every pair, InfoNCE form; {@code margin} is then the temperature)
 * @param epochs         epochs to run
 * @param batchSize      pairs per step (PAIRS) or images per step (BATCH_ALL)
 * @param pairsPerEpoch  PAIRS only: pairs drawn per epoch (the seed uses 500)
 * @param imagesPerPerson BATCH_ALL only: images of each person in a batch
 * @param margin         contrastive margin
 * @param learningRate   Adam learning rate
 * @param cosineDecay    decay the learning rate along a cosine to 5% of its start over the run
 * @param weightDecay    L2 weight decay (0 = none)
 * @param seed           random seed for initialisation, sampling, dropout and augmentation
 * @param augmentation   jitter applied to training crops
 */
public record TrainingOptions(TowerArchitecture architecture, Sampling sampling, int epochs, int batchSize,
                              int pairsPerEpoch, int imagesPerPerson, float margin, float learningRate,
                              boolean cosineDecay, float weightDecay, long seed, Augmentation augmentation) {

    public enum Sampling { PAIRS, BATCH_ALL, BATCH_NCE }

    /** The seed notebook's recipe (see the evaluation protocol). */
    public static TrainingOptions seedRecipe(long seed) {
        return new TrainingOptions(TowerArchitecture.seed(), Sampling.PAIRS, 200, 64, 500, 0, 3.0f, 1e-3f, false, 0f,
                seed, Augmentation.NONE);
    }

    /**
     * FaceRoster's recipe for its own tower: batches of 16 persons x 4 images, every pair used through the
     * InfoNCE form of the contrastive loss at temperature 0.3, Adam with a cosine-decayed learning rate.
     * No augmentation: at this training length every augmentation setting we measured lowered the
     * protocol figures (see docs/model-experiments.md).
     */
    public static TrainingOptions facerosterRecipe(long seed) {
        return new TrainingOptions(TowerArchitecture.faceroster(), Sampling.BATCH_NCE, 60, 64, 0, 4, 0.3f, 2e-3f,
                true, 1e-4f, seed, Augmentation.NONE);
    }

    /**
     * The recipe for the head of a tower with an imported backbone ({@link HeadTrainer}): 16 persons x 4 descriptors
     * a batch (each photo also mirrored), the InfoNCE form at temperature 0.1, Adam with a cosine-decayed rate.
     */
    public static TrainingOptions headRecipe(TowerArchitecture architecture, long seed) {
        return new TrainingOptions(architecture, Sampling.BATCH_NCE, 30, 64, 0, 4, 0.1f, 1e-3f, true, 0f, seed,
                Augmentation.NONE);
    }

    /** The recipe that trains {@code architecture}: its head's for a backbone tower, else FaceRoster's own. */
    public static TrainingOptions recipeFor(TowerArchitecture architecture, long seed) {
        if (architecture.backboneLayers() > 0) {
            return headRecipe(architecture, seed);
        }
        TrainingOptions own = architecture.name().equals("seed") ? seedRecipe(seed) : facerosterRecipe(seed);
        return new TrainingOptions(architecture, own.sampling(), own.epochs(), own.batchSize(), own.pairsPerEpoch(),
                own.imagesPerPerson(), own.margin(), own.learningRate(), own.cosineDecay(), own.weightDecay(), seed,
                own.augmentation());
    }

    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sampling", sampling.name().toLowerCase());
        m.put("epochs", epochs);
        m.put("batchSize", batchSize);
        if (sampling == Sampling.PAIRS) {
            m.put("pairsPerEpoch", pairsPerEpoch);
        } else {
            m.put("imagesPerPerson", imagesPerPerson);
        }
        m.put("margin", margin);
        m.put("optimizer", "adam");
        m.put("learningRate", learningRate);
        m.put("cosineDecay", cosineDecay);
        m.put("weightDecay", weightDecay);
        m.put("seed", seed);
        m.put("augmentation", augmentation);
        return m;
    }
}
