package io.faceroster;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, which every JVM has: one place instead of a try/catch around {@code MessageDigest} per caller. */
public final class Sha256 {

    private Sha256() {
    }

    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public static byte[] of(byte[] bytes) {
        return digest().digest(bytes);
    }

    /** SHA-256 in lower-case hex. */
    public static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(of(bytes));
    }
}
