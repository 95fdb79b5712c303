package io.faceroster.importing;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.multipart.MultipartResolver;
import org.springframework.web.multipart.support.StandardServletMultipartResolver;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ImportProperties.class)
class ImportConfiguration {

    /**
     * Spring's multipart handling for every path but the import upload, whose archive {@link MultipartArchive}
     * streams to disk itself (the service's own multipart parts stay in memory, sized for photos).
     */
    @Bean
    MultipartResolver multipartResolver() {
        return new StandardServletMultipartResolver() {
            @Override
            public boolean isMultipart(HttpServletRequest request) {
                return !ImportController.UPLOAD_PATH.equals(request.getRequestURI()) && super.isMultipart(request);
            }
        };
    }
}
