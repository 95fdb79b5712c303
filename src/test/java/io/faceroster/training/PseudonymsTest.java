package io.faceroster.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Issue 10 item 8: training pseudonyms are keyed (HMAC), so a dictionary of likely ids does not reverse them. */
class PseudonymsTest {

    private final Pseudonyms one = new Pseudonyms("secret one".getBytes(StandardCharsets.UTF_8));
    private final Pseudonyms two = new Pseudonyms("secret two".getBytes(StandardCharsets.UTF_8));

    @Test
    void aPseudonymIsStableUnderOneSecret() {
        assertThat(one.of("e-1001")).isEqualTo(one.of("e-1001")).startsWith("employee:").hasSize(9 + 16);
    }

    @Test
    void anotherSecretGivesAnotherPseudonym() {
        assertThat(one.of("e-1001")).isNotEqualTo(two.of("e-1001"));
    }

    @Test
    void theUnsaltedHashOfTheIdIsNotThePseudonym() {
        // A dictionary attack hashes candidate ids the way the old scheme did; it no longer finds the pseudonym.
        assertThat(one.of("e-1001")).isNotEqualTo(Pseudonyms.legacy("e-1001"));
    }
}
