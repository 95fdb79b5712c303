package io.faceroster.employee;

import io.faceroster.identify.Recognizer;
import io.faceroster.identify.SupportSet;
import io.faceroster.imaging.FaceCrops;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fills the in-memory support set from the database before the service takes requests. Samples embedded
 * by another model version are re-embedded from their stored crop with the active model (and the new
 * embedding stored), so matching never mixes versions.
 */
@Component
class SupportSetLoader implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(SupportSetLoader.class);

    private final FaceSampleRepository faces;
    private final Recognizer recognizer;
    private final TransactionTemplate tx;

    SupportSetLoader(FaceSampleRepository faces, Recognizer recognizer, TransactionTemplate tx) {
        this.faces = faces;
        this.recognizer = recognizer;
        this.tx = tx;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Recognizer.Active active = recognizer.active();
        String version = active.modelVersion();
        record Row(String employeeId, String displayName, SupportSet.Shot shot) {
        }
        int[] reembedded = {0};
        List<Row> rows = tx.execute(status -> {
            List<Row> out = new ArrayList<>();
            try (var stream = faces.streamAll()) {
                stream.forEach(f -> {
                    float[] embedding;
                    if (version.equals(f.getModelVersion())) {
                        embedding = f.getEmbedding();
                    } else {
                        embedding = active.embedder().embed(FaceCrops.fromPng(f.getCropPng()));
                        f.setEmbedding(embedding, version);
                        reembedded[0]++;
                    }
                    out.add(new Row(f.getEmployee().getEmployeeId(), f.getEmployee().getDisplayName(),
                            new SupportSet.Shot(f.getId(), embedding)));
                });
            }
            return out;
        });
        Map<String, List<SupportSet.Shot>> byEmployee = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        for (Row r : rows) {
            byEmployee.computeIfAbsent(r.employeeId(), k -> new ArrayList<>()).add(r.shot());
            names.put(r.employeeId(), r.displayName());
        }
        byEmployee.forEach((id, shots) -> active.supportSet().add(id, names.get(id), shots));
        log.info("Support set for model {}: {} employees, {} face samples ({} re-embedded from stored crops)",
                version, byEmployee.size(), rows.size(), reembedded[0]);
    }
}
