package io.faceroster.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 10 item 12: under require-encryption a stored value without the marker is refused, not read as plain. */
class RequiredEncryptionTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    private static FieldCipher cipher(boolean require) {
        return new FieldCipher(new PrivacyProperties(true, 30, Duration.ofHours(1), KEY, "k1", List.of(), require,
                Duration.ofMinutes(1)));
    }

    @Test
    void anUnmarkedValueIsRefusedWhenEncryptionIsRequired() {
        assertThatThrownBy(() -> cipher(true).open(new byte[] {1, 2, 3}))
                .isInstanceOf(FieldCipher.UnsealedValueException.class).hasMessageContaining("not encrypted");
    }

    @Test
    void aSealedValueIsReadWhenEncryptionIsRequired() {
        FieldCipher c = cipher(true);
        assertThat(c.open(c.seal(new byte[] {1, 2, 3}))).containsExactly(1, 2, 3);
    }

    @Test
    void rotationStillReadsAnUnmarkedValueToSealIt() {
        assertThat(cipher(true).openAllowingPlain(new byte[] {1, 2, 3})).containsExactly(1, 2, 3);
    }

    @Test
    void withoutTheRequirementAnUnmarkedValueIsReadAsPlain() {
        assertThat(cipher(false).open(new byte[] {1, 2, 3})).containsExactly(1, 2, 3);
    }
}
