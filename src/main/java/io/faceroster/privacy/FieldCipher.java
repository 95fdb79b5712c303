package io.faceroster.privacy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * AES-256-GCM for face crops and embeddings at rest. A sealed value is {@code "FRE1"}, the key id (length
 * byte + UTF-8), a random 12-byte nonce and the ciphertext with its 16-byte tag; the key id lets old values
 * be read while {@code previous-encryption-keys} lists their key, until a rotation has re-encrypted them.
 * Values without the marker are stored in clear (written before encryption was turned on) and read as they are,
 * unless {@code require-encryption} is set: then such a value is refused (someone with write access to the
 * database could otherwise substitute a plaintext crop or embedding); only a rotation reads it, to seal it.
 */
@Component
public class FieldCipher {

    private static final byte[] MAGIC = {'F', 'R', 'E', '1'};
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final SecureRandom random = new SecureRandom();
    private final String currentId;
    private final SecretKeySpec current;
    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
    private final boolean requireEncryption;

    public FieldCipher(PrivacyProperties properties) {
        this.requireEncryption = properties.requireEncryption();
        if (properties.encryptionKey() != null && !properties.encryptionKey().isBlank()) {
            currentId = properties.encryptionKeyId();
            if (currentId == null || !currentId.matches("[A-Za-z0-9._-]{1,40}")) {
                throw new IllegalStateException("faceroster.privacy.encryption-key-id must be 1-40 of A-Z a-z 0-9 . _ -");
            }
            current = key("faceroster.privacy.encryption-key", properties.encryptionKey());
            keys.put(currentId, current);
        } else if (properties.requireEncryption()) {
            throw new IllegalStateException("faceroster.privacy.require-encryption is true but "
                    + "faceroster.privacy.encryption-key is not set (or empty)");
        } else {
            currentId = null;
            current = null;
        }
        for (String entry : properties.previousEncryptionKeys()) {
            int colon = entry.indexOf(':');
            if (colon < 1) {
                throw new IllegalStateException("faceroster.privacy.previous-encryption-keys entries are id:base64-key");
            }
            String id = entry.substring(0, colon);
            if (keys.containsKey(id)) {
                // Two keys under one id: values sealed with the other could never be told apart or rotated.
                throw new IllegalStateException("faceroster.privacy.previous-encryption-keys: key id '" + id
                        + "' is used twice (or is the current encryption-key-id); give every key its own id");
            }
            keys.put(id, key("faceroster.privacy.previous-encryption-keys", entry.substring(colon + 1)));
        }
    }

    private static SecretKeySpec key(String name, String base64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(name + " is not base64 (generate one with: openssl rand -base64 32)");
        }
        if (raw.length != 32) {
            throw new IllegalStateException(name + " must be 32 bytes (AES-256) in base64, got " + raw.length
                    + " bytes (generate one with: openssl rand -base64 32)");
        }
        return new SecretKeySpec(raw, "AES");
    }

    public boolean enabled() {
        return current != null;
    }

    public String currentKeyId() {
        return currentId;
    }

    /** The value as it is to be stored: sealed with the current key, or unchanged when encryption is off. */
    public byte[] seal(byte[] plain) {
        if (plain == null || current == null) {
            return plain;
        }
        try {
            byte[] id = currentId.getBytes(StandardCharsets.UTF_8);
            byte[] nonce = new byte[NONCE];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, current, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = c.doFinal(plain);
            return ByteBuffer.allocate(MAGIC.length + 1 + id.length + NONCE + sealed.length)
                    .put(MAGIC).put((byte) id.length).put(id).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /**
     * The plain value of a stored one.
     *
     * @throws UnsealedValueException for a value without the marker while {@code require-encryption} is set
     */
    public byte[] open(byte[] stored) {
        if (stored != null && requireEncryption && !isSealed(stored)) {
            throw new UnsealedValueException();
        }
        return openAllowingPlain(stored);
    }

    /** {@link #open}, reading a value without the marker as plain even under {@code require-encryption}: rotation. */
    public byte[] openAllowingPlain(byte[] stored) {
        if (!isSealed(stored)) {
            return stored;
        }
        String id = keyId(stored);
        SecretKeySpec key = keys.get(id);
        if (key == null) {
            throw new IllegalStateException("a stored value is encrypted with key id '" + id
                    + "', which is not configured (faceroster.privacy.encryption-key / previous-encryption-keys)");
        }
        int offset = MAGIC.length + 1 + id.getBytes(StandardCharsets.UTF_8).length;
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, offset, NONCE));
            return c.doFinal(stored, offset + NONCE, stored.length - offset - NONCE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored value with key id '" + id + "' does not decrypt: wrong key "
                    + "or damaged data", e);
        }
    }

    /** Whether a stored value is in the form {@link #seal} writes now (so a rotation can skip it). */
    public boolean isCurrent(byte[] stored) {
        return current == null ? !isSealed(stored) : isSealed(stored) && currentId.equals(keyId(stored));
    }

    static boolean isSealed(byte[] stored) {
        return stored != null && stored.length > MAGIC.length + 1 + NONCE
                && Arrays.equals(stored, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    private static String keyId(byte[] stored) {
        int len = stored[MAGIC.length] & 0xff;
        return new String(stored, MAGIC.length + 1, Math.min(len, stored.length - MAGIC.length - 1),
                StandardCharsets.UTF_8);
    }

    /** A stored value lacks the encryption marker although encryption is required. */
    public static final class UnsealedValueException extends IllegalStateException {
        UnsealedValueException() {
            super("a stored face value is not encrypted although faceroster.privacy.require-encryption is set: it was"
                    + " written before encryption or substituted in the database; run POST"
                    + " /api/v1/admin/encryption/rotate to seal values written before encryption");
        }
    }
}
