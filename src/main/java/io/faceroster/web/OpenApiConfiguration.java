package io.faceroster.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Title and summary of the OpenAPI document served at /v3/api-docs (Swagger UI: /swagger-ui.html). */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI faceRosterOpenApi() {
        return new OpenAPI().info(new Info().title("FaceRoster API").version("v1")
                .description("Few-shot face enrolment, identification and verification. Errors are RFC 9457 "
                        + "problem details with a stable 'code' member."));
    }
}
