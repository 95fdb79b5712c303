package io.faceroster.importing;

import java.io.IOException;
import java.io.Writer;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** An import's report: one row per photo handled ({@code import_photo}), written as each employee is done. */
@Component
class ImportReport {

    /** What happened to a photo. */
    enum Outcome {
        /** Stored as a new face sample. */
        ENROLLED,
        /** The same photo (content hash) was already stored for the employee: nothing stored. */
        ALREADY_STORED,
        /** The employee already had faces and the import was asked to leave them alone ({@code onExisting=skip}). */
        SKIPPED,
        /** A dry run: the photo passed every check and would have been stored. */
        WOULD_ENROL,
        /** Refused: the problem code says why. */
        REFUSED;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One line of the report. */
    record Line(String employeeId, String file, Outcome outcome, String problemCode, String detail, UUID faceSampleId) {
    }

    private final JdbcTemplate jdbc;

    ImportReport(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void add(UUID importId, List<Line> lines) {
        jdbc.batchUpdate("insert into import_photo (import_id, employee_id, file_name, outcome, problem_code, detail, "
                + "face_sample_id) values (?, ?, ?, ?, ?, ?, ?)", lines, 500, (ps, l) -> {
                    ps.setObject(1, importId);
                    ps.setString(2, l.employeeId());
                    ps.setString(3, cut(l.file(), 500));
                    ps.setString(4, l.outcome().label());
                    ps.setString(5, l.problemCode());
                    ps.setString(6, cut(l.detail(), 1000));
                    ps.setObject(7, l.faceSampleId());
                });
    }

    /** The photos already in the report, as {@code employeeId/file} (an import resumed after a restart skips them). */
    Set<String> photosDone(UUID importId) {
        Set<String> done = new HashSet<>();
        jdbc.query("select employee_id, file_name from import_photo where import_id = ?",
                rs -> {
                    done.add(rs.getString(1) + "/" + rs.getString(2));
                }, importId);
        return done;
    }

    Map<String, Integer> refusedByCode(UUID importId) {
        Map<String, Integer> out = new LinkedHashMap<>();
        jdbc.query("select problem_code, count(*) from import_photo where import_id = ? and outcome = 'refused' "
                + "group by problem_code order by count(*) desc, problem_code", rs -> {
                    out.put(rs.getString(1), rs.getInt(2));
                }, importId);
        return out;
    }

    List<Line> firstRefusals(UUID importId, int limit) {
        return jdbc.query("select employee_id, file_name, outcome, problem_code, detail, face_sample_id from import_photo "
                + "where import_id = ? and outcome = 'refused' order by id fetch first " + limit + " rows only",
                (rs, i) -> line(rs), importId);
    }

    /** The report as CSV, one line per photo in the order they were handled; see {@link #cell}. */
    void writeCsv(UUID importId, Writer out) throws IOException {
        CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180.builder()
                .setHeader("employeeId", "file", "outcome", "problemCode", "detail", "faceSampleId").get());
        jdbc.query("select employee_id, file_name, outcome, problem_code, detail, face_sample_id from import_photo "
                + "where import_id = ? order by id", rs -> {
                    Line l = line(rs);
                    try {
                        csv.printRecord(cell(l.employeeId()), cell(l.file()), l.outcome().label(), l.problemCode(),
                                cell(l.detail()), l.faceSampleId());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, importId);
        csv.flush();
    }

    /**
     * A value as a spreadsheet may show it: text from the archive (file names, ids, details quoting them) that a
     * spreadsheet would run as a formula ({@code =}, {@code +}, {@code -}, {@code @}, tab, CR) gets an apostrophe.
     */
    static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        char c = value.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + value : value;
    }

    private static Line line(java.sql.ResultSet rs) throws java.sql.SQLException {
        Object face = rs.getObject(6);
        return new Line(rs.getString(1), rs.getString(2), Outcome.valueOf(rs.getString(3).toUpperCase(
                java.util.Locale.ROOT)), rs.getString(4), rs.getString(5),
                face == null ? null : face instanceof UUID u ? u : UUID.fromString(face.toString()));
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
