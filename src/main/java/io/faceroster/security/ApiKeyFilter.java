package io.faceroster.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Authenticates every request by its {@code X-API-Key} header, checks the role its path needs
 * ({@link AccessPolicy}) and the key's rate limit, and tags the request with the key id and a request id
 * ({@code X-Request-Id}, taken from the client when it sends a sane one) for logs and the audit trail.
 * Refusals are problem details: 401 {@code api_key_missing} / {@code api_key_invalid}, 403
 * {@code role_missing}, 429 {@code rate_limited} with {@code Retry-After}.
 */
class ApiKeyFilter extends OncePerRequestFilter {

    static final String HEADER = "X-API-Key";
    static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ApiKeys keys;
    private final RateLimiter limiter;
    private final InFlightLimit inFlight;

    ApiKeyFilter(ApiKeys keys, RateLimiter limiter, InFlightLimit inFlight) {
        this.keys = keys;
        this.limiter = limiter;
        this.inFlight = inFlight;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String requestId = request.getHeader(REQUEST_ID_HEADER);
        if (requestId == null || !requestId.matches("[A-Za-z0-9._:-]{1,100}")) {
            requestId = UUID.randomUUID().toString();
        }
        request.setAttribute(Caller.REQUEST_ID, requestId);
        response.setHeader(REQUEST_ID_HEADER, requestId);
        MDC.put("requestId", requestId);
        try {
            // The decoded, normalised path the servlet container dispatches on (no "..", no ";params"), not the
            // raw request URI: "/api/v1/employees/../admin/models" must need the admin role.
            String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
            AccessPolicy.Need need = AccessPolicy.of(request.getMethod(), path);
            if (need == AccessPolicy.Need.OPEN) {
                chain.doFilter(request, response);
                return;
            }
            if (!admit(need, request, response)) {
                return;
            }
            String keyId = (String) request.getAttribute(Caller.KEY_ID);
            if (!inFlight.tryAcquire(keyId)) {
                // Refused before the body is read; the connection is closed rather than the rest of a stalled
                // upload waited for.
                response.setHeader("Retry-After", "1");
                response.setHeader("Connection", "close");
                problem(request, response, HttpStatus.TOO_MANY_REQUESTS, "too_many_concurrent_requests", "API key '"
                        + keyId + "' already has " + inFlight.perKey() + " requests in progress; retry when one"
                        + " has finished", Map.of("maxConcurrentRequests", inFlight.perKey()));
                return;
            }
            try {
                chain.doFilter(request, response);
            } finally {
                inFlight.release(keyId);
            }
        } finally {
            MDC.remove("requestId");
            MDC.remove("keyId");
        }
    }

    private boolean admit(AccessPolicy.Need need, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String presented = request.getHeader(HEADER);
        if (presented == null || presented.isBlank()) {
            response.setHeader("WWW-Authenticate", "ApiKey header=\"" + HEADER + "\"");
            problem(request, response, HttpStatus.UNAUTHORIZED, "api_key_missing",
                    "send an API key in the " + HEADER + " header", Map.of());
            return false;
        }
        Optional<ApiKeys.Credential> credential = keys.authenticate(presented.trim());
        if (credential.isEmpty()) {
            response.setHeader("WWW-Authenticate", "ApiKey header=\"" + HEADER + "\"");
            problem(request, response, HttpStatus.UNAUTHORIZED, "api_key_invalid", "the API key is not known",
                    Map.of());
            return false;
        }
        ApiKeys.Credential c = credential.get();
        request.setAttribute(Caller.KEY_ID, c.id());
        MDC.put("keyId", c.id());
        if (need.role != null && !c.allows(need.role)) {
            problem(request, response, HttpStatus.FORBIDDEN, "role_missing", "API key '" + c.id()
                    + "' lacks the role '" + need.role.label() + "' needed here",
                    Map.of("requiredRole", need.role.label(), "keyId", c.id()));
            return false;
        }
        if (limiter.enabled()) {
            long retryAfter = limiter.acquire(c.id(), System.nanoTime());
            if (retryAfter > 0) {
                response.setHeader("Retry-After", Long.toString(retryAfter));
                problem(request, response, HttpStatus.TOO_MANY_REQUESTS, "rate_limited", "API key '" + c.id()
                        + "' is over its request rate; retry after " + retryAfter + " s",
                        Map.of("retryAfterSeconds", retryAfter));
                return false;
            }
        }
        return true;
    }

    private static void problem(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
                                String code, String detail, Map<String, Object> more) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("instance", request.getRequestURI());
        body.put("code", code);
        body.putAll(more);
        response.setStatus(status.value());
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        JSON.writeValue(response.getOutputStream(), body);
    }
}
