package io.faceroster.audit;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

    /** Around the API key filter (order + 10), so that its 401 and 403 refusals are recorded too. */
    @Bean
    FilterRegistrationBean<AccessAudit> accessAudit(AuditLog audit) {
        var registration = new FilterRegistrationBean<>(new AccessAudit(audit));
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }
}
