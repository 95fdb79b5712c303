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
 * @param backbone           the imported backbone's provenance (null when the whole tower was trained here)
 */
public record ModelMetadata(String version, TowerArchitecture architecture, int embeddingDimension,
                            double threshold, Calibration calibration, Training training,
                            Map<String, Map<String, Double>> evaluation, Instant createdAt, Backbone backbone) {

    public ModelMetadata(String version, TowerArchitecture architecture, int embeddingDimension, double threshold,
                         Calibration calibration, Training training, Map<String, Map<String, Double>> evaluation,
                         Instant createdAt) {
        this(version, architecture, embeddingDimension, threshold, calibration, training, evaluation, createdAt,
                null);
    }

    /**
     * Where an imported backbone's weights come from. They are kept as published (TF.js format, uint8-quantised) in
     * the model directory's {@code backbone/} folder and checked against {@code sha256} when the model loads.
     *
     * @param network       what the network is, e.g. dlib's face-recognition ResNet
     * @param sourcePackage the package the weights were taken from, e.g. npm {@code @vladmandic/face-api}
     * @param sourceVersion its version
     * @param packageSha256 SHA-256 of the package file imported (null when imported from an unpacked folder)
     * @param manifest      the weights manifest, relative to the model directory
     * @param weights       the weights file, relative to the model directory
     * @param sha256        SHA-256 of the weights file
     * @param licence       the weights' licence
     * @param trainingData  what the weights were trained on, as their author describes it
     */
    public record Backbone(String network, String sourcePackage, String sourceVersion, String packageSha256,
                           String manifest, String weights, String sha256, String licence, String trainingData) {
    }

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
                evaluation, createdAt, backbone);
    }

    public ModelMetadata withEvaluation(Map<String, Map<String, Double>> newEvaluation) {
        return new ModelMetadata(version, architecture, embeddingDimension, threshold, calibration, training,
                newEvaluation, createdAt, backbone);
    }

    public ModelMetadata withThreshold(double newThreshold, Calibration newCalibration) {
        return new ModelMetadata(version, architecture, embeddingDimension, newThreshold, newCalibration, training,
                evaluation, createdAt, backbone);
    }

    /**
     * The same without the names of the persons it was trained, validated and calibrated on (pseudonyms of enrolled
     * employees among them): what a key without the admin role is shown (issue 10, item 8).
     */
    public ModelMetadata withoutPersonNames() {
        Calibration c = calibration == null ? null : new Calibration(calibration.method(), List.of(),
                calibration.targetFar(), calibration.achievedFar(), calibration.achievedTar());
        Training t = training == null ? null : new Training(training.dataset(), List.of(), List.of(),
                training.hyperParameters(), training.steps(), training.seconds(), training.finalLoss(),
                training.lossCurve());
        return new ModelMetadata(version, architecture, embeddingDimension, threshold, c, t, evaluation, createdAt,
                backbone);
    }
}
