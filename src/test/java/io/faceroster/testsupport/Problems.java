package io.faceroster.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on RFC 9457 problem responses. */
public final class Problems {

    private Problems() {
    }

    /** {@code r} is a problem+json with this status and {@code code}, and no stack trace. */
    public static void assertProblem(ApiClient.Response r, int status, String code) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("code").asString()).as(r.text()).isEqualTo(code);
        assertThat(r.text()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
