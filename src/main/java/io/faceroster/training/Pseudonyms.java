package io.faceroster.training;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * How an enrolled employee is named in training job rows and model metadata, which outlive an erasure (issue 10,
 * item 8): {@code employee:} and 16 hex digits of an HMAC-SHA256 of the employee id under a secret. The earlier
 * unsalted SHA-256 was reversed with a dictionary of likely ids in seconds; without the secret the HMAC cannot be.
 * The secret is {@code faceroster.training.pseudonym-secret} when set, else generated at first use and kept in the
 * database ({@code service_secret}), never shown by the API.
 */
@Component
class Pseudonyms {

    private static final String SECRET_NAME = "training-pseudonyms";

    private final byte[] secret;

    @Autowired
    Pseudonyms(TrainingProperties properties, JdbcTemplate jdbc, Clock clock) {
        String configured = properties.pseudonymSecret();
        this.secret = configured != null && !configured.isBlank()
                ? configured.getBytes(StandardCharsets.UTF_8) : stored(jdbc, clock);
    }

    /** For tests and tools: a fixed secret. */
    Pseudonyms(byte[] secret) {
        this.secret = secret.clone();
    }

    private static byte[] stored(JdbcTemplate jdbc, Clock clock) {
        List<String> found = jdbc.queryForList("SELECT secret FROM service_secret WHERE name = ?", String.class,
                SECRET_NAME);
        if (found.isEmpty()) {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            try {
                jdbc.update("INSERT INTO service_secret (name, secret, created_at) VALUES (?, ?, ?)", SECRET_NAME,
                        Base64.getEncoder().encodeToString(fresh), Timestamp.from(clock.instant()));
            } catch (org.springframework.dao.DataIntegrityViolationException raced) {
                // Another instance stored one first: use that.
            }
            found = jdbc.queryForList("SELECT secret FROM service_secret WHERE name = ?", String.class, SECRET_NAME);
        }
        return Base64.getDecoder().decode(found.get(0));
    }

    String of(String employeeId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] h = mac.doFinal(employeeId.getBytes(StandardCharsets.UTF_8));
            return "employee:" + HexFormat.of().formatHex(h, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The unsalted form of versions before issue 10, still found in older model metadata. */
    static String legacy(String employeeId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest(("faceroster-person:" + employeeId).getBytes(StandardCharsets.UTF_8));
            return "employee:" + HexFormat.of().formatHex(h, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
