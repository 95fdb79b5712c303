package io.faceroster.privacy;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Consent, retention and encryption at rest ({@code faceroster.privacy.*}).
 *
 * @param requireConsent          refuse to enrol faces of an employee without a consent record
 * @param retentionDays           erase employees marked as left this many days after they left
 * @param purgeInterval           how often the retention purge runs
 * @param encryptionKey           AES-256 key (base64 of 32 bytes) for crops and embeddings; none: stored in clear
 * @param encryptionKeyId         the id stored with every value encrypted by {@code encryptionKey}
 * @param previousEncryptionKeys  older keys still readable during a rotation, each {@code id:base64}
 * @param requireEncryption       refuse to start without an encryption key (on in docker-compose)
 * @param purgeInitialDelay       when the first scheduled retention purge runs after start-up
 */
@ConfigurationProperties("faceroster.privacy")
public record PrivacyProperties(@DefaultValue("true") boolean requireConsent,
                                @DefaultValue("30") int retentionDays,
                                @DefaultValue("1h") Duration purgeInterval,
                                String encryptionKey,
                                @DefaultValue("k1") String encryptionKeyId,
                                @DefaultValue List<String> previousEncryptionKeys,
                                @DefaultValue("false") boolean requireEncryption,
                                @DefaultValue("1m") Duration purgeInitialDelay) {
}
