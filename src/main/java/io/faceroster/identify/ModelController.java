package io.faceroster.identify;

import io.faceroster.model.ModelMetadata;
import io.faceroster.security.Caller;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The active model's metadata, and the threshold actually in force. */
@RestController
@RequestMapping("/api/v1/model")
class ModelController {

    private final Recognizer recognizer;

    ModelController(Recognizer recognizer) {
        this.recognizer = recognizer;
    }

    record ModelView(String version, String architecture, int embeddingDimension, int inputWidth, int inputHeight,
                     double threshold, double calibratedThreshold, ModelMetadata.Calibration calibration,
                     Map<String, Map<String, Double>> evaluation, String device, int enrolledEmployees,
                     int enrolledFaces, ModelMetadata metadata) {
    }

    @GetMapping
    ModelView get() {
        Recognizer.Active active = recognizer.active();
        // Person names (training pseudonyms among them) are for admins only; /api/v1/admin/models lists them.
        ModelMetadata m = Caller.isAdmin() ? active.embedder().metadata()
                : active.embedder().metadata().withoutPersonNames();
        return new ModelView(m.version(), m.architecture().name(), m.embeddingDimension(),
                m.architecture().inputWidth(), m.architecture().inputHeight(), recognizer.threshold(null),
                m.threshold(), m.calibration(), m.evaluation(), active.embedder().device().toString(),
                active.supportSet().employeeCount(), active.supportSet().shotCount(), m);
    }
}
