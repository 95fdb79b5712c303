package io.faceroster.employee;

import io.faceroster.privacy.FieldCipher;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Face samples' embeddings by model versions other than the one {@code face_sample} holds (Flyway V14,
 * {@code face_embedding}): a model switch stages the new version's embeddings here while the version in force keeps
 * its rows, then {@link #swapIn} exchanges them in the pointer flip's transaction and keeps the previous version's,
 * so that a rollback reuses them instead of re-embedding. Values are sealed with the same {@link FieldCipher} as
 * {@code face_sample.embedding}. Callers provide the transactions.
 */
@Component
public class KeptEmbeddings {

    private final JdbcTemplate jdbc;
    private final FieldCipher cipher;

    KeptEmbeddings(JdbcTemplate jdbc, FieldCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    /** The face samples that have an embedding of {@code version} kept here. */
    Set<UUID> faceIds(String version) {
        return new HashSet<>(jdbc.queryForList("SELECT face_id FROM face_embedding WHERE model_version = ?",
                UUID.class, version));
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

    /** Keeps {@code embedding} as the face sample's embedding by {@code version} (replacing one kept before). */
    void keep(UUID faceId, String version, float[] embedding) {
        jdbc.update("DELETE FROM face_embedding WHERE face_id = ? AND model_version = ?", faceId, version);
        jdbc.update("INSERT INTO face_embedding (face_id, model_version, embedding) VALUES (?, ?, ?)", faceId,
                version, cipher.seal(FaceSample.toBytes(embedding)));
    }

    /**
     * Makes {@code version}'s kept embeddings the face samples' own and keeps the ones they replace instead; kept
     * embeddings of any third version are dropped. Run in the transaction that flips the active pointer. Returns
     * how many face samples changed version.
     */
    int swapIn(String version) {
        jdbc.update("DELETE FROM face_embedding WHERE model_version <> ?", version);
        jdbc.update("INSERT INTO face_embedding (face_id, model_version, embedding) "
                + "SELECT f.id, f.model_version, f.embedding FROM face_sample f WHERE f.model_version <> ? AND f.id IN "
                + "(SELECT e.face_id FROM face_embedding e WHERE e.model_version = ?)", version, version);
        int swapped = jdbc.update("UPDATE face_sample SET embedding = (SELECT e.embedding FROM face_embedding e "
                + "WHERE e.face_id = face_sample.id AND e.model_version = ?), model_version = ? "
                + "WHERE model_version <> ? AND id IN (SELECT e.face_id FROM face_embedding e WHERE e.model_version = ?)",
                version, version, version, version);
        jdbc.update("DELETE FROM face_embedding WHERE model_version = ?", version);
        return swapped;
    }

    /** Drops every kept embedding of {@code version} (a deleted model version). */
    public int forget(String version) {
        return jdbc.update("DELETE FROM face_embedding WHERE model_version = ?", version);
    }
}
