package io.faceroster.identify;

import io.faceroster.DomainException;
import java.util.List;
import java.util.Map;

/**
 * What a caller may ask of the threshold and see of the candidates (issue 10, item 12): {@code verify?threshold=2}
 * matched anything, and identify listed up to 20 names for a noise image, which tells an identify key who is
 * enrolled. A key without the admin role may lower the threshold in force or raise it by at most half
 * ({@value #MAX_FACTOR} times), and sees only candidates within {@value #CANDIDATE_MARGIN} of the threshold above it
 * (relative); an admin key may ask any non-negative threshold and sees every candidate asked for.
 */
final class RequestedThreshold {

    static final double MAX_FACTOR = 1.5;
    static final double CANDIDATE_MARGIN = 0.25;

    private RequestedThreshold() {
    }

    /** The threshold to apply: the requested one when allowed, else a 400 problem; {@code inForce} when none. */
    static double check(Double requested, double inForce, boolean admin) {
        if (requested == null) {
            return inForce;
        }
        if (!Double.isFinite(requested) || requested < 0) {
            throw DomainException.invalid("threshold must be a non-negative number");
        }
        double max = inForce * MAX_FACTOR;
        if (!admin && requested > max) {
            throw new DomainException("threshold_out_of_range", String.format(
                    "threshold %.4f is above %.4f (%.1f times the threshold in force); only an admin key may ask more",
                    requested, max, MAX_FACTOR), Map.of("maxThreshold", Math.round(max * 1e4) / 1e4));
        }
        return requested;
    }

    /** The candidates the caller may see. */
    static List<SupportSet.Candidate> visible(List<SupportSet.Candidate> candidates, double threshold, boolean admin) {
        if (admin) {
            return candidates;
        }
        double limit = threshold * (1 + CANDIDATE_MARGIN);
        return candidates.stream().filter(c -> c.distance() <= limit).toList();
    }
}
