package io.faceroster.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * API keys and request limits ({@code faceroster.security.*}).
 *
 * @param apiKeys               the configured keys; when there are none, one key per role is generated at
 *                              first start (hashes kept in the database, keys logged once)
 * @param requireConfiguredKeys refuse to start without configured keys (on in docker-compose)
 * @param rateLimit             requests per key
 * @param maxConcurrentRequestsPerKey most requests of one key in the service at once (429 beyond; 0: no limit)
 */
@ConfigurationProperties("faceroster.security")
public record SecurityProperties(@DefaultValue List<ApiKey> apiKeys,
                                 @DefaultValue("false") boolean requireConfiguredKeys,
                                 @DefaultValue RateLimit rateLimit,
                                 @DefaultValue("16") int maxConcurrentRequestsPerKey) {

    /**
     * One key: {@code id} (shown in logs and the audit trail), the key itself or its SHA-256 (hex), and
     * comma-separated {@code roles} ({@code enroll}, {@code identify}, {@code admin}).
     */
    public record ApiKey(String id, String key, String sha256, String roles) {
    }

    /**
     * A token bucket per key: {@code requestsPerMinute} sustained, up to {@code burst} at once; 0 turns the
     * limit off.
     */
    public record RateLimit(@DefaultValue("600") int requestsPerMinute, @DefaultValue("60") int burst) {
    }
}
