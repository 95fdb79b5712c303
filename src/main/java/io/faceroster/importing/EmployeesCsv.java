package io.faceroster.importing;

import io.faceroster.employee.Employee;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * {@code employees.csv} at the top of an import archive: RFC 4180, UTF-8 with or without a byte-order mark, a header
 * naming {@code employeeId,displayName,consentReference,consentGivenAt} (in any order; more columns are ignored).
 * Any fault refuses the whole archive with the line it is on.
 */
final class EmployeesCsv {

    static final String FILE = "employees.csv";
    static final List<String> COLUMNS = List.of("employeeId", "displayName", "consentReference", "consentGivenAt");

    /** One employee as HR's export describes them; blank values are null. */
    record Row(String employeeId, String displayName, String consentReference, Instant consentGivenAt) {
    }

    private EmployeesCsv() {
    }

    static Map<String, Row> parse(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw invalid(null, "it is not UTF-8");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
                .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get();
        Map<String, Row> rows = new LinkedHashMap<>();
        try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
            List<String> missing = COLUMNS.stream().filter(c -> !parser.getHeaderMap().containsKey(c)).toList();
            if (!missing.isEmpty()) {
                throw invalid(1L, "the header lacks the column(s) " + missing + " (expected "
                        + String.join(",", COLUMNS) + ")");
            }
            for (CSVRecord r : parser) {
                long line = r.getRecordNumber() + 1;
                if (!r.isConsistent()) {
                    throw invalid(line, "it has " + r.size() + " values, the header " + parser.getHeaderMap().size());
                }
                String id = r.get("employeeId");
                if (id == null || !id.matches(Employee.ID_PATTERN)) {
                    throw new ArchiveRejected("employee_id_invalid", FILE + " line " + line + ": employee id '" + id
                            + "' breaks the id rules (1-64 letters, digits, '.', '_', '-'; not '.' or '..'); nothing "
                            + "was stored", Map.of("entry", FILE, "line", line));
                }
                if (rows.containsKey(id)) {
                    throw invalid(line, "employee id '" + id + "' appears twice");
                }
                String name = blankToNull(r.get("displayName"));
                String consent = blankToNull(r.get("consentReference"));
                if (name != null && name.length() > 200) {
                    throw invalid(line, "displayName is longer than 200 characters");
                }
                if (consent != null && consent.length() > 500) {
                    throw invalid(line, "consentReference is longer than 500 characters");
                }
                rows.put(id, new Row(id, name, consent, instant(r.get("consentGivenAt"), line)));
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw invalid(null, e.getMessage());
        }
        return rows;
    }

    private static Instant instant(String value, long line) {
        String v = blankToNull(value);
        if (v == null) {
            return null;
        }
        Instant at;
        try {
            at = v.length() == 10 ? LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw invalid(line, "consentGivenAt '" + v + "' is neither a date (2026-01-31) nor an instant "
                    + "(2026-01-31T09:00:00Z)");
        }
        if (at.isAfter(Instant.now().plusSeconds(86_400)) || at.isBefore(Instant.parse("1970-01-01T00:00:00Z"))) {
            throw invalid(line, "consentGivenAt '" + v + "' lies in the future or before 1970");
        }
        return at;
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static ArchiveRejected invalid(Long line, String why) {
        Map<String, Object> where = new LinkedHashMap<>();
        where.put("entry", FILE);
        if (line != null) {
            where.put("line", line);
        }
        return new ArchiveRejected("csv_invalid", FILE + (line == null ? "" : " line " + line) + ": " + why
                + "; nothing was stored", where);
    }
}
