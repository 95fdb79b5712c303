package io.faceroster.security;

import io.faceroster.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The API keys the service accepts, held only as SHA-256 hashes. Configured keys come from
 * {@code faceroster.security.api-keys}; without any, one key per role is generated at first start, its hash
 * stored in the {@code api_key} table and the key logged once (it cannot be recovered later).
 */
@Component
public class ApiKeys {

    /** A key as the service knows it: its id, the hash of the key and its roles. */
    public record Credential(String id, byte[] sha256, Set<Role> roles) {
        public boolean allows(Role role) {
            return roles.contains(Role.ADMIN) || roles.contains(role);
        }
    }

    static final int MIN_KEY_LENGTH = 20;
    /** Actors the audit trail names besides keys. */
    static final Set<String> RESERVED_IDS = Set.of(Caller.SYSTEM, "retention-purge");
    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);

    private final List<Credential> credentials;
    private final boolean configured;

    public ApiKeys(SecurityProperties properties, JdbcTemplate jdbc, Clock clock) {
        List<Credential> fromConfig = fromConfiguration(properties.apiKeys());
        this.configured = !fromConfig.isEmpty();
        if (configured) {
            credentials = fromConfig;
            log.info("API keys: {} configured ({})", fromConfig.size(), fromConfig.stream().map(Credential::id).toList());
        } else if (properties.requireConfiguredKeys()) {
            throw new IllegalStateException("faceroster.security.require-configured-keys is true but no "
                    + "faceroster.security.api-keys[N] are configured; configure at least one key (id, key or sha256, roles)");
        } else {
            credentials = generatedKeys(jdbc, clock);
        }
    }

    /** The keys the service accepts: ids and roles only. */
    public List<Credential> credentials() {
        return credentials;
    }

    /** Whether the keys came from configuration (rather than being generated at first start). */
    public boolean configured() {
        return configured;
    }

    /** The credential whose key is {@code presented}; every stored hash is compared, in constant time. */
    public Optional<Credential> authenticate(String presented) {
        byte[] hash = sha256(presented);
        Credential found = null;
        for (Credential c : credentials) {
            if (MessageDigest.isEqual(c.sha256(), hash)) {
                found = c;
            }
        }
        return Optional.ofNullable(found);
    }

    static byte[] sha256(String key) {
        return Sha256.of(key.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Credential> fromConfiguration(List<SecurityProperties.ApiKey> keys) {
        List<Credential> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            SecurityProperties.ApiKey k = keys.get(i);
            String where = "faceroster.security.api-keys[" + i + "]";
            if (k.id() == null || k.id().isBlank()) {
                throw new IllegalStateException(where + ".id is missing");
            }
            if (!k.id().matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalStateException(where + ".id must be 1-64 characters of A-Z a-z 0-9 . _ -");
            }
            if (RESERVED_IDS.contains(k.id()) || k.id().startsWith("generated-")) {
                throw new IllegalStateException(where + ".id '" + k.id() + "' is reserved (the audit trail uses it)");
            }
            if (!ids.add(k.id())) {
                throw new IllegalStateException(where + ".id '" + k.id() + "' is used twice");
            }
            boolean hasKey = k.key() != null && !k.key().isBlank();
            boolean hasHash = k.sha256() != null && !k.sha256().isBlank();
            if (hasKey == hasHash) {
                throw new IllegalStateException(where + " needs exactly one of key and sha256");
            }
            byte[] hash;
            if (hasKey) {
                if (k.key().length() < MIN_KEY_LENGTH) {
                    throw new IllegalStateException(where + ".key is shorter than " + MIN_KEY_LENGTH
                            + " characters; use a long random key (e.g. openssl rand -base64 32)");
                }
                hash = sha256(k.key());
            } else {
                try {
                    hash = HexFormat.of().parseHex(k.sha256().trim().toLowerCase());
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(where + ".sha256 is not hexadecimal");
                }
                if (hash.length != 32) {
                    throw new IllegalStateException(where + ".sha256 must be 64 hexadecimal digits");
                }
            }
            if (k.roles() == null || k.roles().isBlank()) {
                throw new IllegalStateException(where + ".roles is missing (enroll, identify, admin)");
            }
            Set<Role> roles = EnumSet.noneOf(Role.class);
            for (String r : k.roles().split(",")) {
                try {
                    roles.add(Role.parse(r));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(where + ".roles: " + e.getMessage());
                }
            }
            out.add(new Credential(k.id(), hash, Set.copyOf(roles)));
        }
        return List.copyOf(out);
    }

    private static List<Credential> generatedKeys(JdbcTemplate jdbc, Clock clock) {
        List<Credential> stored = jdbc.query("SELECT id, sha256, roles FROM api_key ORDER BY id", (rs, n) ->
                new Credential(rs.getString(1), HexFormat.of().parseHex(rs.getString(2)), Set.of(Role.parse(rs.getString(3)))));
        if (!stored.isEmpty()) {
            log.info("API keys: {} generated at first start ({}); configure faceroster.security.api-keys to replace them",
                    stored.size(), stored.stream().map(Credential::id).toList());
            return stored;
        }
        SecureRandom random = new SecureRandom();
        List<Credential> created = new ArrayList<>();
        StringBuilder message = new StringBuilder("No API keys configured: generated one per role. They are shown "
                + "this once and only their SHA-256 is stored; keep them now (header X-API-Key):");
        for (Role role : Role.values()) {
            byte[] raw = new byte[32];
            random.nextBytes(raw);
            String key = "fr_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            String id = "generated-" + role.label();
            byte[] hash = sha256(key);
            jdbc.update("INSERT INTO api_key (id, sha256, roles, created_at) VALUES (?, ?, ?, ?)", id,
                    HexFormat.of().formatHex(hash), role.label(), java.sql.Timestamp.from(clock.instant()));
            created.add(new Credential(id, hash, Set.of(role)));
            message.append(System.lineSeparator()).append("  ").append(id).append(" (").append(role.label())
                    .append("): ").append(key);
        }
        log.warn(message.toString());
        return List.copyOf(created);
    }
}
