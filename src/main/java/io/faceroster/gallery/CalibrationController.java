package io.faceroster.gallery;

import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The gallery calibration report, the threshold in force (apply, reset) and the report's plot. Role admin. */
@RestController
@RequestMapping("/api/v1/admin/calibration")
class CalibrationController {

    private final Calibration calibration;

    CalibrationController(Calibration calibration) {
        this.calibration = calibration;
    }

    /** Exactly one of the two: a target FAR per identify attempt, or a threshold by hand. */
    record ApplyRequest(Double targetFar, Double threshold) {
    }

    @GetMapping
    CalibrationReport report() {
        return calibration.report();
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    CalibrationReport apply(@RequestBody ApplyRequest request) {
        if (request == null || (request.targetFar() == null) == (request.threshold() == null)) {
            throw new CalibrationException("validation_failed",
                    "give exactly one of targetFar (e.g. {\"targetFar\":0.01}) or threshold (e.g. {\"threshold\":0.55})");
        }
        return request.targetFar() != null ? calibration.applyTarget(request.targetFar())
                : calibration.applyThreshold(request.threshold());
    }

    @DeleteMapping
    CalibrationReport reset() {
        return calibration.reset();
    }

    /** {@code format=svg} (default) or {@code png}. */
    @GetMapping("/plot")
    ResponseEntity<byte[]> plot(@RequestParam(defaultValue = "svg") String format) {
        if (!format.equals("svg") && !format.equals("png")) {
            throw new CalibrationException("validation_failed",
                    "format must be svg or png");
        }
        GalleryEvidence e = calibration.evidence();
        CalibrationReport report = calibration.report(e);
        if (format.equals("png")) {
            return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).body(CalibrationPlot.png(e, report));
        }
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("image/svg+xml"))
                .body(CalibrationPlot.svg(e, report).getBytes(StandardCharsets.UTF_8));
    }
}
