package io.faceroster.identify;

import io.faceroster.DomainException;
import io.faceroster.audit.AuditAction;
import io.faceroster.audit.AuditLog;
import io.faceroster.imaging.FaceBox;
import io.faceroster.imaging.FaceCropper;
import io.faceroster.imaging.DecodedImage;
import io.faceroster.imaging.ImageDecoder;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * k-way n-shot identification against every enrolled employee: of the largest face in the photo, or with
 * {@code all=true} of every face (largest first, at most {@code faceroster.imaging.max-faces-per-image}).
 */
@RestController
@RequestMapping("/api/v1")
class IdentifyController {

    static final int MAX_CANDIDATES = 20;

    private final Recognizer recognizer;
    private final ImageDecoder decoder;
    private final FaceCropper cropper;
    private final AuditLog audit;
    private final MeterRegistry meters;

    IdentifyController(Recognizer recognizer, ImageDecoder decoder, FaceCropper cropper, AuditLog audit,
                       MeterRegistry meters) {
        this.recognizer = recognizer;
        this.decoder = decoder;
        this.cropper = cropper;
        this.audit = audit;
        this.meters = meters;
    }

    record Candidate(String employeeId, String displayName, double distance) {
        static Candidate of(SupportSet.Candidate c) {
            return c == null ? null : new Candidate(c.employeeId(), c.displayName(), c.distance());
        }
    }

    /** What identify answers: one face's answer, or with {@code all=true} one per face. */
    sealed interface IdentifyAnswer permits IdentifyResponse, AllFacesResponse {
    }

    /** One face's answer; {@code face} is null when detection was skipped. */
    record IdentifyResponse(Candidate match, List<Candidate> candidates, FaceBox face, double threshold,
                            String modelVersion, long tookMs) implements IdentifyAnswer {
    }

    record FaceResult(FaceBox face, Candidate match, List<Candidate> candidates) {
    }

    /** {@code all=true}: one result per face, largest first; {@code facesDetected} counts beyond the limit. */
    record AllFacesResponse(List<FaceResult> faces, int facesDetected, double threshold, String modelVersion,
                            long tookMs) implements IdentifyAnswer {
    }

    @PostMapping(path = "/identify", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ApiResponse(responseCode = "200", description = "the largest face's answer, or with all=true one per face",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(oneOf = {IdentifyResponse.class, AllFacesResponse.class})))
    IdentifyAnswer identify(@RequestPart("image") MultipartFile image,
                    @RequestParam(required = false) Double threshold,
                    @RequestParam(defaultValue = "3") int candidates,
                    @RequestParam(defaultValue = "true") boolean detect,
                    @RequestParam(defaultValue = "false") boolean all) throws IOException {
        long start = System.nanoTime();
        if (candidates < 1 || candidates > MAX_CANDIDATES) {
            throw DomainException.invalid("candidates must be between 1 and " + MAX_CANDIDATES);
        }
        if (all && !detect) {
            throw DomainException.invalid("all=true needs face detection (detect=true)");
        }
        FaceCropper.Located face;
        try (DecodedImage photo = decoder.decode(image.getBytes())) {
            if (all) {
                return identifyAll(photo, threshold, candidates, start);
            }
            face = cropper.largest(photo, detect);
        }
        Recognizer.Identification result = recognizer.identify(face.chip(), threshold, candidates);
        long tookNanos = observe(start, result.match() == null ? "unknown" : "match");
        audit.record(AuditAction.IDENTIFY, result.match() == null ? null : result.match().employeeId(),
                result.match() == null ? "unknown" : result.match().employeeId(),
                "model " + result.modelVersion());
        return new IdentifyResponse(Candidate.of(result.match()),
                result.candidates().stream().map(Candidate::of).toList(), face.box(), result.threshold(),
                result.modelVersion(), tookNanos / 1_000_000);
    }

    private AllFacesResponse identifyAll(DecodedImage photo, Double threshold, int candidates, long start) {
        FaceCropper.Faces faces = cropper.all(photo);
        List<Recognizer.Identification> results = recognizer.identify(
                faces.located().stream().map(FaceCropper.Located::chip).toList(), threshold, candidates);
        List<FaceResult> out = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            Recognizer.Identification r = results.get(i);
            out.add(new FaceResult(faces.located().get(i).box(), Candidate.of(r.match()),
                    r.candidates().stream().map(Candidate::of).toList()));
        }
        long tookNanos = observe(start, "all");
        // One event per face, so a filter by employee finds every photo they were identified in.
        for (Recognizer.Identification r : results) {
            String matched = r.match() == null ? null : r.match().employeeId();
            audit.record(AuditAction.IDENTIFY, matched, matched == null ? "unknown" : matched,
                    "face of " + results.size() + " in one photo (all=true)");
        }
        if (results.isEmpty()) {
            audit.record(AuditAction.IDENTIFY, null, "no face", "all=true");
        }
        // Threshold and version from the snapshot the faces were matched with (the active one when none).
        Recognizer.Identification first = results.isEmpty() ? null : results.get(0);
        return new AllFacesResponse(out, faces.detected(),
                first != null ? first.threshold() : recognizer.threshold(threshold),
                first != null ? first.modelVersion() : recognizer.active().modelVersion(), tookNanos / 1_000_000);
    }

    private long observe(long start, String outcome) {
        long tookNanos = System.nanoTime() - start;
        Timer.builder("faceroster.identify").tag("outcome", outcome).register(meters).record(Duration.ofNanos(tookNanos));
        return tookNanos;
    }
}
