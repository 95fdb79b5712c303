package io.faceroster.gallery;

import io.faceroster.identify.Recognizer;
import io.faceroster.identify.SupportSetSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * What an HR admin should fix in the gallery, from the same evidence as the calibration report, at the
 * threshold in force:
 * <ul>
 * <li>{@code possible_duplicate}: two employees whose prototypes are within the threshold; high when they are
 * also closer than the gallery's median genuine distance (closer than a photo to its own person's other photos:
 * the same person twice is likely), medium otherwise (a look-alike pair, or a duplicate);</li>
 * <li>{@code mixed_enrolment}: a sample nearer to another employee's prototype than to its own employee's other
 * samples; high when clearly nearer (at most 0.8 of the distance to its own: a wrong photo is likely), medium
 * when barely (an ambiguous photo);</li>
 * <li>{@code weak_enrolment}: {@code look_alike} (medium, half or more of the employee's samples within the
 * threshold of the same other employee's prototype: the two will be confused, not by one unlucky photo but
 * consistently), {@code outlier_sample} (medium, a sample far from its employee's other samples:
 * beyond Tukey's far-out fence Q3 + 3 IQR of all genuine distances), {@code single_sample} (low).</li>
 * </ul>
 * Sorted by severity, then by how close the call is.
 */
@Service
public class GalleryHealth {

    /** One thing to fix; {@code distances} name what was compared. */
    public record Finding(String kind, String reason, String severity, List<String> employeeIds, List<UUID> faceIds,
                          Map<String, Double> distances, String detail) {
    }

    /** Every finding for one evidence snapshot at one threshold. */
    public record Findings(String modelVersion, double threshold, java.time.Instant computedAt, List<Finding> items,
                           Map<String, Integer> counts) {
    }

    private record Scored(Finding finding, int rank, double score) {
    }

    private static final int MIN_GENUINE_FOR_OUTLIERS = 20;
    private static final double CLEARLY_NEARER = 0.8;

    private final Calibration calibration;
    private final Recognizer recognizer;
    private final CalibrationProperties properties;
    private volatile Cache cache;

    private record Cache(GalleryEvidence evidence, double threshold, Findings findings) {
    }

    GalleryHealth(Calibration calibration, Recognizer recognizer, CalibrationProperties properties) {
        this.calibration = calibration;
        this.recognizer = recognizer;
        this.properties = properties;
    }

    public Findings check() {
        GalleryEvidence e = calibration.fullEvidence();
        double threshold = recognizer.threshold(null);
        Cache c = cache;
        if (c != null && c.evidence() == e && c.threshold() == threshold) {
            return c.findings();
        }
        Findings f = findings(e, threshold, properties.maxDuplicatePairs(), properties.effectiveThreads());
        cache = new Cache(e, threshold, f);
        return f;
    }

    public static Findings findings(GalleryEvidence e, double threshold, int maxPairs, int threads) {
        SupportSetSnapshot s = e.snapshot();
        List<Scored> out = new ArrayList<>();
        Set<Long> duplicatePairs = new HashSet<>();
        float[] genuine = e.genuineSorted();
        // Two prototypes of one person lie closer than a photo lies to its own person's other photos; two look-alikes
        // within the threshold lie farther. Both are listed (the threshold decides); the first are the likelier mistake.
        double sameSpread = genuine.length >= MIN_GENUINE_FOR_OUTLIERS ? CalibrationMaths.quantile(genuine, 0.5)
                : Double.POSITIVE_INFINITY;
        for (SupportSetSnapshot.PrototypePair p : s.prototypePairs(threshold, maxPairs, threads).pairs()) {
            duplicatePairs.add(key(p.a(), p.b()));
            List<UUID> faces = new ArrayList<>(faces(s, p.a()));
            faces.addAll(faces(s, p.b()));
            boolean likely = p.distance() <= sameSpread;
            out.add(new Scored(new Finding("possible_duplicate", likely ? "prototypes_closer_than_own_photos"
                    : "prototypes_within_threshold", likely ? "high" : "medium",
                    List.of(s.employeeId(p.a()), s.employeeId(p.b())), faces,
                    distances("prototypes", p.distance(), "threshold", threshold, "medianGenuine", sameSpread),
                    String.format(Locale.ROOT, "the prototypes of %s and %s are %.3f apart, within the threshold "
                                    + "%.3f%s", s.employeeId(p.a()), s.employeeId(p.b()), p.distance(), threshold,
                            likely ? " and closer than a typical photo to its own employee's others: the same person "
                                    + "enrolled twice, or their photos mixed up"
                                    : ": a look-alike pair the model will confuse at this threshold, or a duplicate")),
                    likely ? 0 : 1, p.distance() / Math.max(threshold, 1e-9)));
        }
        double fence = genuine.length >= MIN_GENUINE_FOR_OUTLIERS ? CalibrationMaths.upperFarOutFence(genuine)
                : Double.POSITIVE_INFINITY;
        for (int row = 0; row < s.employeeCount(); row++) {
            int first = s.firstShot(row);
            int n = s.shotsOf(row);
            if (n == 1) {
                out.add(new Scored(new Finding("weak_enrolment", "single_sample", "low", List.of(s.employeeId(row)),
                        List.of(s.faceId(first)), distances("nearestOtherPrototype", e.nearestOther(first)),
                        "one face sample only: no genuine evidence, and one photo's pose and light decide every "
                                + "match; enrol two or more"), 2, 1));
            }
            Map<Integer, List<Integer>> alikeByOther = new LinkedHashMap<>();
            for (int shot = first; shot < first + n; shot++) {
                int other = e.nearestOtherRow(shot);
                double own = e.genuine(shot);
                double near = e.nearestOther(shot);
                boolean duplicate = other >= 0 && duplicatePairs.contains(key(row, other));
                if (other >= 0 && !duplicate && Double.isFinite(own) && near < own) {
                    // Clearly nearer (a fifth or more): a wrong photo is likely; barely nearer: an ambiguous photo.
                    boolean clear = near <= CLEARLY_NEARER * own;
                    out.add(new Scored(new Finding("mixed_enrolment", "sample_nearer_to_other_employee",
                            clear ? "high" : "medium",
                            List.of(s.employeeId(row), s.employeeId(other)), List.of(s.faceId(shot)),
                            distances("ownPrototype", own, "otherPrototype", near),
                            String.format(Locale.ROOT, "face %s of %s is nearer to %s (%.3f) than to %s's other "
                                            + "samples (%.3f): a wrong photo in the set?", s.faceId(shot),
                                    s.employeeId(row), s.employeeId(other), near, s.employeeId(row), own)),
                            clear ? 0 : 1, 1 + near / Math.max(own, 1e-9)));
                    continue;
                }
                if (Double.isFinite(own) && own > fence) {
                    out.add(new Scored(new Finding("weak_enrolment", "outlier_sample", "medium",
                            List.of(s.employeeId(row)), List.of(s.faceId(shot)),
                            distances("ownPrototype", own, "fence", fence),
                            String.format(Locale.ROOT, "face %s of %s is %.3f from the employee's other samples, "
                                            + "beyond the gallery's outlier fence %.3f: an unusual photo (pose, light, "
                                            + "another person?)", s.faceId(shot), s.employeeId(row), own, fence)),
                            1, 1 + fence / own));
                }
                if (other >= 0 && !duplicate && near <= threshold) {
                    alikeByOther.computeIfAbsent(other, k -> new ArrayList<>()).add(shot);
                }
            }
            for (Map.Entry<Integer, List<Integer>> a : alikeByOther.entrySet()) {
                if (2 * a.getValue().size() < n) {
                    continue;   // a single false accept among several samples is the FAR at work, not a look-alike
                }
                int other = a.getKey();
                double nearest = a.getValue().stream().mapToDouble(e::nearestOther).min().orElseThrow();
                out.add(new Scored(new Finding("weak_enrolment", "look_alike", "medium",
                        List.of(s.employeeId(row), s.employeeId(other)),
                        a.getValue().stream().map(s::faceId).toList(),
                        distances("otherPrototype", nearest, "threshold", threshold),
                        String.format(Locale.ROOT, "%d of %s's samples lie within the threshold %.3f of %s's "
                                        + "prototype (nearest %.3f): the two will be confused", a.getValue().size(),
                                s.employeeId(row), threshold, s.employeeId(other), nearest)),
                        1, nearest / Math.max(threshold, 1e-9)));
            }
        }
        out.sort(Comparator.comparingInt(Scored::rank).thenComparingDouble(Scored::score)
                .thenComparing(x -> x.finding().employeeIds().get(0)));
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("possibleDuplicates", 0);
        counts.put("mixedEnrolments", 0);
        counts.put("weakEnrolments", 0);
        for (Scored x : out) {
            String k = switch (x.finding().kind()) {
                case "possible_duplicate" -> "possibleDuplicates";
                case "mixed_enrolment" -> "mixedEnrolments";
                default -> "weakEnrolments";
            };
            counts.merge(k, 1, Integer::sum);
        }
        return new Findings(e.modelVersion(), threshold, e.computedAt(), out.stream().map(Scored::finding).toList(),
                counts);
    }

    private static List<UUID> faces(SupportSetSnapshot s, int row) {
        List<UUID> out = new ArrayList<>();
        for (int shot = s.firstShot(row); shot < s.firstShot(row) + s.shotsOf(row); shot++) {
            out.add(s.faceId(shot));
        }
        return out;
    }

    private static long key(int a, int b) {
        return ((long) Math.min(a, b) << 32) | Math.max(a, b);
    }

    private static Map<String, Double> distances(Object... pairs) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], round(((Number) pairs[i + 1]).doubleValue()));
        }
        return m;
    }

    /** Rounded to 1e-6; null when not finite (no other employee), which JSON cannot carry as a number. */
    private static Double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1e6) / 1e6 : null;
    }
}
