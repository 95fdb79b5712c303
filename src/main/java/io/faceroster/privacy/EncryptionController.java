package io.faceroster.privacy;

import io.faceroster.audit.AuditAction;
import io.faceroster.audit.AuditLog;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Key rotation: re-encrypts every stored crop and embedding (the face samples' own and those kept for other model
 * versions) that is not yet sealed with the current key (values in clear, or sealed with a previous key), a page of
 * rows per transaction. Safe to repeat.
 */
@RestController
class EncryptionController {

    private static final int PAGE = 200;

    private final FieldCipher cipher;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final AuditLog audit;

    EncryptionController(FieldCipher cipher, JdbcTemplate jdbc, TransactionTemplate tx, AuditLog audit) {
        this.cipher = cipher;
        this.jdbc = jdbc;
        this.tx = tx;
        this.audit = audit;
    }

    /** {@code changedMeanwhile}: rows changed by someone else during the run; run the rotation again for them. */
    record Rotation(String keyId, boolean encryptionEnabled, int faceSamples, int rewritten, int alreadyCurrent,
                    int changedMeanwhile, int keptEmbeddingsRewritten) {
    }

    private record KeptKey(Object faceId, String version) {
    }

    private record Row(Object id, byte[] crop, byte[] embedding) {
    }

    @PostMapping("/api/v1/admin/encryption/rotate")
    synchronized Rotation rotate() {
        List<Object> ids = jdbc.queryForList("SELECT id FROM face_sample ORDER BY id", Object.class);
        int rewritten = 0;
        int current = 0;
        for (int from = 0; from < ids.size(); from += PAGE) {
            List<Object> page = ids.subList(from, Math.min(ids.size(), from + PAGE));
            int[] counts = tx.execute(status -> {
                int n = 0;
                int skipped = 0;
                for (Object id : page) {
                    List<Row> rows = jdbc.query("SELECT id, crop_png, embedding FROM face_sample WHERE id = ?",
                            (rs, i) -> new Row(rs.getObject(1), rs.getBytes(2), rs.getBytes(3)), id);
                    for (Row r : rows) {
                        if (cipher.isCurrent(r.crop()) && cipher.isCurrent(r.embedding())) {
                            skipped++;
                            continue;
                        }
                        // Only if the row is still what was read: a model switch re-embedding it meanwhile
                        // must not be undone. Such a row is left for the next rotation run (reported).
                        n += jdbc.update("UPDATE face_sample SET crop_png = ?, embedding = ? WHERE id = ? "
                                        + "AND crop_png = ? AND embedding = ?",
                                cipher.seal(cipher.openAllowingPlain(r.crop())),
                                cipher.seal(cipher.openAllowingPlain(r.embedding())), r.id(),
                                r.crop(), r.embedding());
                    }
                }
                return new int[] {n, skipped};
            });
            rewritten += counts[0];
            current += counts[1];
        }
        Rotation result = new Rotation(cipher.currentKeyId(), cipher.enabled(), ids.size(), rewritten, current,
                ids.size() - rewritten - current, rotateKeptEmbeddings());
        audit.record(AuditAction.ENCRYPTION_ROTATE, null, rewritten + " of " + ids.size() + " face samples rewritten",
                cipher.enabled() ? "key id " + cipher.currentKeyId() : "encryption off: values written in clear");
        return result;
    }

    /** Re-seals the embeddings kept for other model versions (face_embedding); returns how many were rewritten. */
    private int rotateKeptEmbeddings() {
        List<KeptKey> keys = jdbc.query("SELECT face_id, model_version FROM face_embedding",
                (rs, i) -> new KeptKey(rs.getObject(1), rs.getString(2)));
        int rewritten = 0;
        for (int from = 0; from < keys.size(); from += PAGE) {
            List<KeptKey> page = keys.subList(from, Math.min(keys.size(), from + PAGE));
            rewritten += tx.execute(status -> {
                int n = 0;
                for (KeptKey key : page) {
                    List<byte[]> values = jdbc.query("SELECT embedding FROM face_embedding WHERE face_id = ? "
                            + "AND model_version = ?", (rs, i) -> rs.getBytes(1), key.faceId(), key.version());
                    for (byte[] v : values) {
                        if (!cipher.isCurrent(v)) {
                            n += jdbc.update("UPDATE face_embedding SET embedding = ? WHERE face_id = ? "
                                    + "AND model_version = ? AND embedding = ?", cipher.seal(cipher.openAllowingPlain(v)),
                                    key.faceId(), key.version(), v);
                        }
                    }
                }
                return n;
            });
        }
        return rewritten;
    }
}
