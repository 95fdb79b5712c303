package io.faceroster.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/** Enrols generated galleries through the API (aligned crops, detection skipped). */
public final class Galleries {

    private Galleries() {
    }

    /**
     * Registers employee {@code employeeId} and enrols the generated faces {@code (identity, sample)} given as
     * pairs; returns the enrolled face ids in the same order.
     */
    public static List<String> enrol(ApiClient api, String employeeId, int... identityAndSample) {
        api.createEmployee(employeeId, "Employee " + employeeId);
        List<ApiClient.Part> parts = new ArrayList<>();
        for (int i = 0; i < identityAndSample.length; i += 2) {
            parts.add(ApiClient.Part.image(i + ".png", TestImages.face(identityAndSample[i], identityAndSample[i + 1])));
        }
        var r = api.multipart("/api/v1/employees/" + employeeId + "/faces?detect=false", parts);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        List<String> ids = new ArrayList<>();
        r.json().get("faces").forEach(f -> ids.add(f.get("faceId").asString()));
        return ids;
    }

    /** {@code count} employees {@code prefix0..}, each with {@code samples} generated faces of its own identity. */
    public static void enrolClean(ApiClient api, String prefix, int firstIdentity, int count, int samples) {
        for (int e = 0; e < count; e++) {
            int[] faces = new int[samples * 2];
            for (int s = 0; s < samples; s++) {
                faces[2 * s] = firstIdentity + e;
                faces[2 * s + 1] = s;
            }
            enrol(api, prefix + e, faces);
        }
    }
}
