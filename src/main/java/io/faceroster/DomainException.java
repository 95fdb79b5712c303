package io.faceroster;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refusal the domain explains to its caller: a stable problem {@code code} (part of the API contract, for
 * example {@code no_face} or {@code employee_not_found}), a detail for people and optional extra members. Domain
 * code throws the subclass of its own package and knows nothing of HTTP; {@code web.ProblemDetailsAdvice} turns
 * every code into its status in one table.
 */
public class DomainException extends RuntimeException {

    private final String code;
    private final Map<String, Object> properties;

    public DomainException(String code, String detail) {
        this(code, detail, Map.of());
    }

    public DomainException(String code, String detail, Map<String, Object> properties) {
        super(detail);
        this.code = code;
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    public String code() {
        return code;
    }

    public Map<String, Object> properties() {
        return properties;
    }

    /** The same refusal with another detail and more members (e.g. which multipart part it concerns). */
    public DomainException with(String detail, Map<String, Object> more) {
        var merged = new LinkedHashMap<>(properties);
        merged.putAll(more);
        return new DomainException(code, detail, merged);
    }

    /** A request whose values break the rules ({@code validation_failed}). */
    public static DomainException invalid(String detail) {
        return new DomainException("validation_failed", detail);
    }
}
