package io.faceroster.web;

import jakarta.servlet.MultipartConfigElement;
import org.springframework.boot.servlet.autoconfigure.MultipartProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Gives Tomcat the upload folder as the absolute path {@link UploadFolder} prepared at start. Spring Boot would pass
 * {@code spring.servlet.multipart.location} as written, and Tomcat resolves a relative one against its own work
 * directory, creating it lazily on the first upload: two first uploads at once then raced to create it and one
 * failed ("Failed to create the upload location"), and the folder prepared under {@code ./data} went unused.
 */
@Configuration(proxyBeanMethods = false)
class UploadLocationConfiguration {

    @Bean
    MultipartConfigElement multipartConfigElement(MultipartProperties properties, UploadFolder folder) {
        MultipartConfigElement configured = properties.createMultipartConfig();
        String location = folder.folder() == null ? configured.getLocation() : folder.folder().toString();
        return new MultipartConfigElement(location, configured.getMaxFileSize(), configured.getMaxRequestSize(),
                configured.getFileSizeThreshold());
    }
}
