package io.faceroster.identify;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** "model loaded": part of readiness, so no traffic reaches an instance that cannot embed. */
@Component("model")
class ModelHealthIndicator implements HealthIndicator {

    private final Recognizer recognizer;

    ModelHealthIndicator(Recognizer recognizer) {
        this.recognizer = recognizer;
    }

    @Override
    public Health health() {
        Recognizer.Active active = recognizer.active();
        return Health.up()
                .withDetail("version", active.modelVersion())
                .withDetail("device", active.embedder().device().toString())
                .withDetail("employees", active.supportSet().employeeCount())
                .build();
    }
}
