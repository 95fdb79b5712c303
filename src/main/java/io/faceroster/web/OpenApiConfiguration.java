package io.faceroster.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Title, summary and the API-key scheme of the OpenAPI document served at /v3/api-docs (Swagger UI:
 * /swagger-ui.html, whose "Authorize" button then sends X-API-Key).
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI faceRosterOpenApi() {
        return new OpenAPI().info(new Info().title("FaceRoster API").version("v1")
                        .description("Few-shot face enrolment, identification and verification. Every request "
                                + "needs an API key (X-API-Key) with the role of its path: enroll, identify or admin. "
                                + "Errors are RFC 9457 problem details with a stable 'code' member."))
                .components(new Components().addSecuritySchemes("apiKey", new SecurityScheme()
                        .type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER).name("X-API-Key")))
                .addSecurityItem(new SecurityRequirement().addList("apiKey"));
    }
}
