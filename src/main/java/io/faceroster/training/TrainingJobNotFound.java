package io.faceroster.training;

import io.faceroster.DomainException;
import java.util.UUID;

/** No training job with that id ({@code training_job_not_found}). */
public class TrainingJobNotFound extends DomainException {

    public TrainingJobNotFound(UUID id) {
        super("training_job_not_found", "no training job " + id);
    }
}
