package io.faceroster.employee;

import io.faceroster.privacy.FieldCipher;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Face samples' embeddings by model versions other than the one each sample was enrolled with (Flyway V14,
 * {@code face_embedding}; the enrolment's own stays in {@code face_sample}). A model switch writes the new version's
 * here while the version in force keeps serving, so the pointer flip moves no data and a rollback finds the previous
 * version's embeddings still here. After a switch the promoting replica keeps only the active and the previous
 * version's ({@link #pruneExcept}). Values are sealed with the same {@link FieldCipher} as {@code face_sample.embedding}.
 * Callers provide the transactions.
 */
@Component
public class KeptEmbeddings {

    private final JdbcTemplate jdbc;
    private final FieldCipher cipher;

    KeptEmbeddings(JdbcTemplate jdbc, FieldCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    /** Streams the kept embeddings of {@code version} (face id, float32 embedding) to {@code each}. */
    void forEach(String version, BiConsumer<UUID, float[]> each) {
        jdbc.query(con -> {
            var ps = con.prepareStatement("SELECT face_id, embedding FROM face_embedding WHERE model_version = ?");
            ps.setFetchSize(2000);
            ps.setString(1, version);
            return ps;
        }, rs -> {
            each.accept(rs.getObject(1, UUID.class), FaceSample.toFloats(cipher.open(rs.getBytes(2))));
        });
    }

    /** The kept embeddings of {@code version} of some face samples (those that have one). */
    Map<UUID, float[]> find(Collection<UUID> faceIds, String version) {
        Map<UUID, float[]> out = new HashMap<>();
        for (UUID id : faceIds) {
            jdbc.query("SELECT embedding FROM face_embedding WHERE face_id = ? AND model_version = ?",
                    rs -> {
                        out.put(id, FaceSample.toFloats(cipher.open(rs.getBytes(1))));
                    }, id, version);
        }
        return out;
    }

    /** Keeps {@code embedding} as the face sample's embedding by {@code version} (replacing one kept before). */
    void keep(UUID faceId, String version, float[] embedding) {
        jdbc.update("DELETE FROM face_embedding WHERE face_id = ? AND model_version = ?", faceId, version);
        jdbc.update("INSERT INTO face_embedding (face_id, model_version, embedding) VALUES (?, ?, ?)", faceId,
                version, cipher.seal(FaceSample.toBytes(embedding)));
    }

    /** Drops the kept embeddings of every version but {@code active} and {@code previous}; returns how many. */
    public int pruneExcept(String active, String previous) {
        return jdbc.update("DELETE FROM face_embedding WHERE model_version <> ? AND model_version <> ?", active,
                previous);
    }

    /** Drops every kept embedding of {@code version} (a deleted model version). */
    public int forget(String version) {
        return jdbc.update("DELETE FROM face_embedding WHERE model_version = ?", version);
    }
}
