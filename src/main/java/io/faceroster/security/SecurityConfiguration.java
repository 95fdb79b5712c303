package io.faceroster.security;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
class SecurityConfiguration {

    @Bean
    FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(ApiKeys keys, SecurityProperties properties) {
        var limiter = new RateLimiter(properties.rateLimit().requestsPerMinute(), properties.rateLimit().burst());
        var registration = new FilterRegistrationBean<>(new ApiKeyFilter(keys, limiter,
                new InFlightLimit(properties.maxConcurrentRequestsPerKey())));
        registration.addUrlPatterns("/*");
        // Before anything reads the body (multipart parsing happens later, in the dispatcher).
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
