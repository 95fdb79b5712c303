package io.faceroster.privacy;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** JPA converter that keeps a byte column encrypted at rest with {@link FieldCipher} (a Spring bean). */
@Converter
public class EncryptedBytes implements AttributeConverter<byte[], byte[]> {

    private final FieldCipher cipher;

    public EncryptedBytes(FieldCipher cipher) {
        this.cipher = cipher;
    }

    @Override
    public byte[] convertToDatabaseColumn(byte[] plain) {
        return cipher.seal(plain);
    }

    @Override
    public byte[] convertToEntityAttribute(byte[] stored) {
        return cipher.open(stored);
    }
}
