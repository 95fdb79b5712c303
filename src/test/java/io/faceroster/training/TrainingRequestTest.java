package io.faceroster.training;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The training request's JSON: {@code temperature} is another name for {@code margin}, which stays the contract. */
class TrainingRequestTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void temperatureIsReadAsTheMargin() {
        TrainingRequest request = json.readValue("{\"temperature\":0.07}", TrainingRequest.class);
        assertThat(request.margin()).isEqualTo(0.07f);
    }

    @Test
    void marginIsStillRead() {
        TrainingRequest request = json.readValue("{\"margin\":0.2,\"epochs\":3}", TrainingRequest.class);
        assertThat(request.margin()).isEqualTo(0.2f);
        assertThat(request.epochs()).isEqualTo(3);
    }
}
