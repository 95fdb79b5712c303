package io.faceroster.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Minimal {@code --key value} / {@code --flag} parsing for the command-line tools. */
public final class CommandLine {

    private final Map<String, String> values = new HashMap<>();
    private final Set<String> used = new HashSet<>();

    public CommandLine(String[] args, Set<String> flags) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String key = a.substring(2);
            int eq = key.indexOf('=');
            if (eq >= 0) {
                values.put(key.substring(0, eq), key.substring(eq + 1));
            } else if (flags.contains(key)) {
                values.put(key, "true");
            } else if (i + 1 < args.length) {
                values.put(key, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + key + " needs a value");
            }
        }
    }

    public String get(String key, String fallback) {
        used.add(key);
        return values.getOrDefault(key, fallback);
    }

    public String require(String key) {
        String v = get(key, null);
        if (v == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }

    public int getInt(String key, int fallback) {
        return Integer.parseInt(get(key, Integer.toString(fallback)));
    }

    public long getLong(String key, long fallback) {
        return Long.parseLong(get(key, Long.toString(fallback)));
    }

    public float getFloat(String key, float fallback) {
        return Float.parseFloat(get(key, Float.toString(fallback)));
    }

    public boolean flag(String key) {
        return Boolean.parseBoolean(get(key, "false"));
    }

    public Path path(String key, String fallback) {
        String v = get(key, fallback);
        return v == null ? null : Path.of(v);
    }

    /** Fails on options nobody asked for: a typo should not silently train with defaults. */
    public void rejectUnknown() {
        for (String k : values.keySet()) {
            if (!used.contains(k)) {
                throw new IllegalArgumentException("unknown option --" + k);
            }
        }
    }
}
