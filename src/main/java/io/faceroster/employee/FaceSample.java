package io.faceroster.employee;

import io.faceroster.imaging.FaceBox;
import io.faceroster.privacy.EncryptedBytes;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.UUID;

/**
 * One enrolled face image of an employee: the normalised (aligned) crop as PNG, where the face was in the
 * upload, and its embedding (float32, little-endian) with the model version that computed it. Crop and
 * embedding are encrypted at rest when {@code faceroster.privacy.encryption-key} is set.
 */
@Entity
@Table(name = "face_sample")
public class FaceSample {

    @Id
    private UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "employee_pk", nullable = false)
    private Employee employee;

    @Column(name = "crop_png", nullable = false)
    @Convert(converter = EncryptedBytes.class)
    private byte[] cropPng;

    @Column(name = "embedding", nullable = false)
    @Convert(converter = EncryptedBytes.class)
    private byte[] embedding;

    @Column(name = "model_version", nullable = false, length = 100)
    private String modelVersion;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "face_box", length = 1000)
    @Convert(converter = FaceBoxConverter.class)
    private FaceBox faceBox;

    /** SHA-256 (hex) of the photo the crop was cut from; null for samples stored before imports existed. */
    @Column(name = "content_hash", length = 64)
    private String contentHash;

    /** The bulk import that stored the sample; null for enrolments through the API. */
    @Column(name = "import_id")
    private UUID importId;

    protected FaceSample() {
    }

    public FaceSample(Employee employee, byte[] cropPng, FaceBox faceBox, float[] embedding, String modelVersion,
                      Instant now) {
        this.id = UUID.randomUUID();
        this.employee = employee;
        this.cropPng = cropPng;
        this.faceBox = faceBox;
        this.createdAt = now;
        this.embedding = toBytes(embedding);
        this.modelVersion = modelVersion;
    }

    public UUID getId() {
        return id;
    }

    public Employee getEmployee() {
        return employee;
    }

    public byte[] getCropPng() {
        return cropPng;
    }

    public float[] getEmbedding() {
        return toFloats(embedding);
    }

    public String getModelVersion() {
        return modelVersion;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    /** Where the face was found in its upload; null when detection was skipped. */
    public FaceBox getFaceBox() {
        return faceBox;
    }

    public String getContentHash() {
        return contentHash;
    }

    public UUID getImportId() {
        return importId;
    }

    /** Where the photo came from: its content hash and the import that stored it (either may be null). */
    void setOrigin(String contentHash, UUID importId) {
        this.contentHash = contentHash;
        this.importId = importId;
    }

    static byte[] toBytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    static float[] toFloats(byte[] bytes) {
        float[] v = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }
}
