package io.faceroster.model;

import io.faceroster.DomainException;

/** No model version of that name in the store ({@code model_not_found}). */
public class ModelNotFound extends DomainException {

    public ModelNotFound(String version) {
        super("model_not_found", "no model version '" + version + "' in the store");
    }
}
