package io.faceroster.cli;

import io.faceroster.dataset.PersonSelection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The calibrate command's LFW evaluation split is the protocol's. */
class CalibrateCommandTest {

    private static final Path LFW = Path.of("..", "shared", "data", "lfw");

    @Test
    void lfwEvaluationPersonsAreThoseWhoseNameHashStartsWithZeroToThree() throws Exception {
        // With sha1sum: SHA-1("Al_Gore") = 3a66b1e4..., SHA-1("Abdullah_Gul") = 764278eb...
        assertThat(PersonSelection.isLfwEvaluationPerson("Al_Gore")).isTrue();
        assertThat(PersonSelection.isLfwEvaluationPerson("Abdullah_Gul")).isFalse();
        assumeTrue(Files.isDirectory(LFW), "SKIPPED: " + LFW.toAbsolutePath() + " is absent, the 129-person count is not checked");
        try (Stream<Path> dirs = Files.list(LFW)) {
            long evaluation = dirs.filter(Files::isDirectory)
                    .filter(d -> PersonSelection.isLfwEvaluationPerson(d.getFileName().toString())).count();
            assertThat(evaluation).isEqualTo(129);   // PROTOCOL.md: 129 evaluation persons
        }
    }
}
