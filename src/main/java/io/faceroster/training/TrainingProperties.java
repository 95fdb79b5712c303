package io.faceroster.training;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Retraining jobs ({@code faceroster.training.*}).
 *
 * @param baseDataset        optional folder with one sub-folder per person (e.g. the ORL training persons),
 *                           added to the enrolled employees' crops when a job asks for it
 * @param validationFraction share of persons held out of a job for validation and threshold calibration
 * @param minPersons         fewest persons (with 2+ images) a job needs
 * @param gateTolerance      how much worse than the active model a candidate may score and still be promoted
 * @param minValidationPersons   fewest validation persons a job calibrates its threshold on (else the job fails)
 * @param minImpostorComparisons fewest pairs of images of different validation persons it calibrates on
 * @param pseudonymSecret        HMAC secret of the pseudonyms naming employees in jobs and models (generated and kept
 *                               in the database when unset)
 * @param stepPause          pause after every training step, to leave CPU to serving on a busy machine
 */
@ConfigurationProperties("faceroster.training")
public record TrainingProperties(Path baseDataset, @DefaultValue("0.25") double validationFraction,
                                 @DefaultValue("6") int minPersons, @DefaultValue("0.02") double gateTolerance,
                                 @DefaultValue("0ms") Duration stepPause,
                                 @DefaultValue("4") int minValidationPersons,
                                 @DefaultValue("50") long minImpostorComparisons,
                                 String pseudonymSecret) {
}
