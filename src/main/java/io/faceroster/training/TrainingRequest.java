package io.faceroster.training;

import com.fasterxml.jackson.annotation.JsonAlias;
import io.faceroster.DomainException;
import io.faceroster.model.TowerArchitecture;
import java.util.ArrayList;
import java.util.List;

/**
 * What an admin asks of a retraining job; every member optional. {@code margin} is the contrastive loss's
 * temperature for the recipes jobs use (InfoNCE), so it may also be sent as {@code temperature}.
 */
record TrainingRequest(Integer epochs, Float learningRate, @JsonAlias("temperature") Float margin, String initFrom,
                       Boolean includeBaseDataset, Long seed, Boolean force) {

    static final TrainingRequest EMPTY = new TrainingRequest(null, null, null, null, null, null, null);

    /** Defaults: the recipe of the active model's architecture (head training for a backbone tower). */
    TrainingRequest withDefaults(boolean baseDatasetConfigured, TowerArchitecture architecture) {
        TrainingOptions recipe = TrainingOptions.recipeFor(architecture, 0);
        boolean head = architecture.backboneLayers() > 0;
        return new TrainingRequest(epochs == null ? (head ? recipe.epochs() : 20) : epochs,
                learningRate == null ? (head ? recipe.learningRate() : 5e-4f) : learningRate,
                // The recipe's own temperature unless the admin asks for another.
                margin == null ? recipe.margin() : margin, initFrom == null ? "active" : initFrom,
                includeBaseDataset == null ? baseDatasetConfigured : includeBaseDataset, seed == null ? 0L : seed,
                force != null && force);
    }

    void validate() {
        List<String> errors = new ArrayList<>();
        if (epochs < 1 || epochs > 1000) {
            errors.add("epochs must be between 1 and 1000");
        }
        if (!(learningRate > 0) || learningRate > 10) {
            errors.add("learningRate must be in (0, 10]");
        }
        if (!(margin > 0) || margin > 10) {
            errors.add("margin must be in (0, 10]");
        }
        if (!initFrom.equals("active") && !initFrom.equals("scratch")) {
            errors.add("initFrom must be 'active' or 'scratch'");
        }
        if (!errors.isEmpty()) {
            throw DomainException.invalid(String.join("; ", errors));
        }
    }
}
