package io.faceroster.gallery;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The threshold settings an admin made, in table {@code threshold_setting}: every change is a new row, the
 * newest is in force. Rows are never updated or deleted.
 */
@Repository
class ThresholdSettings {

    enum Mode {
        TARGET, MANUAL, DEFAULT;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Mode of(String label) {
            return valueOf(label.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** One setting; {@code figures} are the report's figures at the threshold when it was set. */
    record Setting(long id, Instant setAt, String setBy, Mode mode, Double targetFar, Double threshold,
                   String modelVersion, Map<String, Object> figures, String note) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcTemplate jdbc;

    ThresholdSettings(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Setting> current() {
        List<Setting> rows = jdbc.query("SELECT id, set_at, set_by, mode, target_far, threshold, model_version, "
                + "figures, note FROM threshold_setting ORDER BY id DESC FETCH FIRST 1 ROWS ONLY", (rs, i) -> new Setting(
                rs.getLong("id"), rs.getTimestamp("set_at").toInstant(), rs.getString("set_by"),
                Mode.of(rs.getString("mode")), (Double) rs.getObject("target_far", Double.class),
                (Double) rs.getObject("threshold", Double.class), rs.getString("model_version"),
                parse(rs.getString("figures")), rs.getString("note")));
        return rows.stream().findFirst();
    }

    void append(Instant at, String by, Mode mode, Double targetFar, Double threshold, String modelVersion,
                Object figures, String note) {
        jdbc.update("INSERT INTO threshold_setting (set_at, set_by, mode, target_far, threshold, model_version, "
                        + "figures, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", Timestamp.from(at), by, mode.label(),
                targetFar, threshold, modelVersion, figures == null ? null : cut(JSON.writeValueAsString(figures), 4000),
                note == null ? null : cut(note, 500));
    }

    private static Map<String, Object> parse(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (RuntimeException e) {
            return Map.of("unreadable", json);
        }
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
