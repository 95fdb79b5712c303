package io.faceroster.dataset;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which persons of a {@link FaceFolder} take part: {@code all}, a comma list of names and ranges such
 * as {@code s1..s30} or {@code s1..s25,s28} (ranges match a common prefix and a number), or one of the LFW
 * protocol's halves: {@code lfw-evaluation} (persons whose name's SHA-1 in hex starts with 0-3) and
 * {@code lfw-training} (all others).
 */
public record PersonSelection(String spec, List<String> names, List<Range> ranges) {

    public static final PersonSelection ALL = new PersonSelection("all", List.of(), List.of());

    private static final Pattern RANGE = Pattern.compile("(\\D*)(\\d+)\\.\\.(\\D*)(\\d+)");
    private static final Pattern NAME_NUMBER = Pattern.compile("(\\D*)(\\d+)");

    record Range(String prefix, long from, long to) {
    }

    public static final String LFW_EVALUATION = "lfw-evaluation";
    public static final String LFW_TRAINING = "lfw-training";

    public static PersonSelection parse(String spec) {
        if (spec == null || spec.isBlank() || spec.equals("all")) {
            return ALL;
        }
        if (spec.equals(LFW_EVALUATION) || spec.equals(LFW_TRAINING)) {
            return new PersonSelection(spec, List.of(), List.of());
        }
        List<String> names = new ArrayList<>();
        List<Range> ranges = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            Matcher m = RANGE.matcher(p);
            if (m.matches()) {
                if (!m.group(3).isEmpty() && !m.group(3).equals(m.group(1))) {
                    throw new IllegalArgumentException("range ends need the same prefix: " + p);
                }
                ranges.add(new Range(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(4))));
            } else if (!p.isEmpty()) {
                names.add(p);
            }
        }
        return new PersonSelection(spec, List.copyOf(names), List.copyOf(ranges));
    }

    public boolean includes(String person) {
        if (spec.equals(LFW_EVALUATION) || spec.equals(LFW_TRAINING)) {
            return isLfwEvaluationPerson(person) == spec.equals(LFW_EVALUATION);
        }
        if (this == ALL || (names.isEmpty() && ranges.isEmpty())) {
            return true;
        }
        if (names.contains(person)) {
            return true;
        }
        Matcher m = NAME_NUMBER.matcher(person);
        if (!m.matches()) {
            return false;
        }
        long n = Long.parseLong(m.group(2));
        return ranges.stream().anyMatch(r -> r.prefix().equals(m.group(1)) && n >= r.from() && n <= r.to());
    }

    /** The LFW protocol's split: the SHA-1 (hex, of the UTF-8 name) starts with 0, 1, 2 or 3. */
    public static boolean isLfwEvaluationPerson(String name) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-1").digest(name.getBytes(StandardCharsets.UTF_8));
            return (h[0] & 0xff) >> 4 <= 3;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is a required JDK algorithm", e);
        }
    }

    @Override
    public String toString() {
        return spec;
    }
}
