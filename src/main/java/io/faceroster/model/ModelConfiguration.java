package io.faceroster.model;

import java.io.IOException;
import java.nio.file.Path;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Loads the configured model once at start-up; the service cannot answer anything without it. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ModelProperties.class, DeviceProperties.class})
class ModelConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddingService embeddingService(ModelProperties properties, DeviceProperties device) throws IOException {
        DjlRuntime.configure(properties.djlCacheDir(), properties.intraOpThreads());
        Path dir = properties.version() == null || properties.version().isBlank()
                ? ModelStore.activeDirectory(properties.store())
                : properties.store().resolve(properties.version());
        return EmbeddingService.load(dir, device.device());
    }
}
