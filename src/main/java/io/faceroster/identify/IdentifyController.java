package io.faceroster.identify;

import io.faceroster.imaging.FaceCrops;
import io.faceroster.imaging.ImageDecoder;
import io.faceroster.web.ApiException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** k-way n-shot identification of one query image against every enrolled employee. */
@RestController
@RequestMapping("/api/v1")
class IdentifyController {

    static final int MAX_CANDIDATES = 20;

    private final Recognizer recognizer;
    private final ImageDecoder decoder;
    private final MeterRegistry meters;

    IdentifyController(Recognizer recognizer, ImageDecoder decoder, MeterRegistry meters) {
        this.recognizer = recognizer;
        this.decoder = decoder;
        this.meters = meters;
    }

    record Candidate(String employeeId, String displayName, double distance) {
        static Candidate of(SupportSet.Candidate c) {
            return c == null ? null : new Candidate(c.employeeId(), c.displayName(), c.distance());
        }
    }

    record IdentifyResponse(Candidate match, List<Candidate> candidates, double threshold, String modelVersion,
                            long tookMs) {
    }

    @PostMapping(path = "/identify", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    IdentifyResponse identify(@RequestPart("image") MultipartFile image,
                              @RequestParam(required = false) Double threshold,
                              @RequestParam(defaultValue = "3") int candidates) throws IOException {
        long start = System.nanoTime();
        if (candidates < 1 || candidates > MAX_CANDIDATES) {
            throw ApiException.badRequest("validation_failed", "candidates must be between 1 and " + MAX_CANDIDATES);
        }
        var crop = FaceCrops.wholeImage(decoder.decode(image.getBytes()));
        Recognizer.Identification result = recognizer.identify(crop, threshold, candidates);
        long tookNanos = System.nanoTime() - start;
        Timer.builder("faceroster.identify").tag("outcome", result.match() == null ? "unknown" : "match")
                .register(meters).record(Duration.ofNanos(tookNanos));
        return new IdentifyResponse(Candidate.of(result.match()),
                result.candidates().stream().map(Candidate::of).toList(), result.threshold(),
                result.modelVersion(), tookNanos / 1_000_000);
    }
}
