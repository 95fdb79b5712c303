package io.faceroster.security;

import io.faceroster.web.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates every request by its {@code X-API-Key} header, checks the role its path needs
 * ({@link AccessPolicy}), the key's rate limit and requests in progress, and tags the request with the key id and a
 * server-generated request id ({@code X-Request-Id}; a client's own id is kept as {@code X-Client-Request-Id}) for
 * logs and the audit trail. Paths not in normal form are refused ({@link NormalisedPath}).
 * Refusals are problem details: 401 {@code api_key_missing} / {@code api_key_invalid}, 403
 * {@code role_missing}, 429 {@code rate_limited} with {@code Retry-After}.
 */
class ApiKeyFilter extends OncePerRequestFilter {

    static final String HEADER = "X-API-Key";
    static final String REQUEST_ID_HEADER = "X-Request-Id";
    static final String CLIENT_REQUEST_ID_HEADER = "X-Client-Request-Id";

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
        // The request id is always the server's own, so a client cannot replay an existing id into the audit trail;
        // a sane id the client sent is kept beside it (X-Client-Request-Id, audit clientRequestId).
        String requestId = UUID.randomUUID().toString();
        String clientRequestId = request.getHeader(REQUEST_ID_HEADER);
        if (clientRequestId != null && clientRequestId.matches("[A-Za-z0-9._:-]{1,100}")) {
            request.setAttribute(Caller.CLIENT_REQUEST_ID, clientRequestId);
            response.setHeader(CLIENT_REQUEST_ID_HEADER, clientRequestId);
        }
        request.setAttribute(Caller.REQUEST_ID, requestId);
        response.setHeader(REQUEST_ID_HEADER, requestId);
        MDC.put("requestId", requestId);
        try {
            // The access policy and Spring MVC must judge the same path: a raw path with dot segments, path
            // parameters, encoded dots or slashes, or empty segments is refused before either looks at it.
            if (!NormalisedPath.isNormalised(request.getRequestURI())) {
                problem(request, response, HttpStatus.BAD_REQUEST, "path_not_normalised", "the request path has dot"
                        + " segments, path parameters, encoded separators or empty segments; send its normal form",
                        Map.of());
                return;
            }
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
        request.setAttribute(Caller.ADMIN, c.roles().contains(Role.ADMIN));
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
        ProblemResponses.write(request, response, status, code, detail, more);
    }
}
