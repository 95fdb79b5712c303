package io.faceroster.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything a model directory says about its tower, stored as {@code metadata.json} beside the parameters.
 *
 * @param version            content-derived model version ({@code <architecture>-<hash of parameters>})
 * @param architecture       the tower description the parameters belong to
 * @param embeddingDimension length of the embedding vector
 * @param threshold          calibrated distance threshold: a query at most this far from a prototype matches
 * @param calibration        how the threshold was chosen (never on evaluation persons)
 * @param training           data, split and hyper-parameters of the run that made the parameters
 * @param evaluation         protocol figures (headline metrics) keyed by data set, if measured
 * @param createdAt          when the model was written
 */
public record ModelMetadata(String version, TowerArchitecture architecture, int embeddingDimension,
                            double threshold, Calibration calibration, Training training,
                            Map<String, Map<String, Double>> evaluation, Instant createdAt) {

    /**
     * @param method      how the threshold was chosen, e.g. {@code prototype-far 0.01/5 on validation persons}
     * @param persons     persons the threshold was calibrated on
     * @param targetFar   open-set false accept rate aimed for
     * @param achievedFar false accept rate of one query-to-prototype comparison on the calibration persons
     * @param achievedTar genuine accept rate of one query-to-prototype comparison on the calibration persons
     */
    public record Calibration(String method, List<String> persons, double targetFar, double achievedFar,
                              double achievedTar) {
    }

    /**
     * @param dataset          the image folder trained on
     * @param trainPersons     persons whose images were used for gradient steps
     * @param validationPersons persons held out from the run (threshold calibration, model checks)
     * @param hyperParameters  epochs, batch, margin, learning rate, seed, augmentation, ...
     * @param steps            optimiser steps taken
     * @param seconds          wall-clock training time
     * @param finalLoss        mean loss of the last epoch
     * @param lossCurve        mean loss per epoch
     */
    public record Training(String dataset, List<String> trainPersons, List<String> validationPersons,
                           Map<String, Object> hyperParameters, long steps, double seconds, double finalLoss,
                           List<Double> lossCurve) {
    }

    public ModelMetadata withVersion(String newVersion) {
        return new ModelMetadata(newVersion, architecture, embeddingDimension, threshold, calibration, training,
                evaluation, createdAt);
    }

    public ModelMetadata withEvaluation(Map<String, Map<String, Double>> newEvaluation) {
        return new ModelMetadata(version, architecture, embeddingDimension, threshold, calibration, training,
                newEvaluation, createdAt);
    }

    public ModelMetadata withThreshold(double newThreshold, Calibration newCalibration) {
        return new ModelMetadata(version, architecture, embeddingDimension, newThreshold, newCalibration, training,
                evaluation, createdAt);
    }
}
