package io.faceroster.identify;

import io.faceroster.imaging.GreyImage;
import io.faceroster.model.EmbeddingService;
import io.faceroster.model.ModelMetadata;
import io.faceroster.web.ApiException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The active model and the support set embedded with it, always used as a pair: a query is embedded and
 * matched by the same {@link Active} snapshot, so no answer mixes embeddings of two model versions.
 */
@Component
public class Recognizer {

    /** A model and the support set its embeddings fill. */
    public record Active(EmbeddingService embedder, SupportSet supportSet) {
        public String modelVersion() {
            return embedder.metadata().version();
        }
    }

    /** Outcome of matching one query. */
    public record Identification(String modelVersion, double threshold, SupportSet.Candidate match,
                                 List<SupportSet.Candidate> candidates) {
    }

    private final AtomicReference<Active> active;
    private final Double configuredThreshold;

    public Recognizer(EmbeddingService embedder,
                      @Value("${faceroster.identify.threshold:#{null}}") Double configuredThreshold) {
        this.active = new AtomicReference<>(new Active(embedder,
                new SupportSet(embedder.metadata().version(), embedder.metadata().embeddingDimension())));
        this.configuredThreshold = configuredThreshold;
    }

    public Active active() {
        return active.get();
    }

    public ModelMetadata metadata() {
        return active.get().embedder().metadata();
    }

    /** The threshold in force: the request's, else the configured one, else the model's calibrated one. */
    public double threshold(Double requested) {
        if (requested != null) {
            if (!Double.isFinite(requested) || requested < 0) {
                throw ApiException.badRequest("validation_failed", "threshold must be a non-negative number");
            }
            return requested;
        }
        return configuredThreshold != null ? configuredThreshold : metadata().threshold();
    }

    public Identification identify(GreyImage crop, Double requestedThreshold, int candidates) {
        Active a = active.get();
        float[] query = a.embedder().embed(crop);
        SupportSet.Ranking ranking = a.supportSet().nearest(query, candidates);
        double threshold = threshold(requestedThreshold);
        SupportSet.Candidate nearest = ranking.candidates().isEmpty() ? null : ranking.candidates().get(0);
        SupportSet.Candidate match = nearest != null && nearest.distance() <= threshold ? nearest : null;
        return new Identification(a.modelVersion(), threshold, match, ranking.candidates());
    }
}
