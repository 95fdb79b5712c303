package io.faceroster.web;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebProperties.class)
class WebConfiguration {

    /** After the API key filter (order + 10): an unauthenticated request's body is never read. */
    @Bean
    FilterRegistrationBean<JsonBodyLimit> jsonBodyLimit(WebProperties properties) {
        var registration = new FilterRegistrationBean<>(new JsonBodyLimit(properties.maxJsonBodyBytes()));
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }
}
