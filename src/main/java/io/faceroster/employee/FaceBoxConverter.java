package io.faceroster.employee;

import io.faceroster.imaging.FaceBox;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import tools.jackson.databind.json.JsonMapper;

/** Stores a {@link FaceBox} as a short JSON text column. */
@Converter
class FaceBoxConverter implements AttributeConverter<FaceBox, String> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public String convertToDatabaseColumn(FaceBox box) {
        return box == null ? null : JSON.writeValueAsString(box);
    }

    @Override
    public FaceBox convertToEntityAttribute(String json) {
        return json == null ? null : JSON.readValue(json, FaceBox.class);
    }
}
