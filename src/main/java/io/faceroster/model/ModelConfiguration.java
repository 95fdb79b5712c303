package io.faceroster.model;

import java.io.IOException;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Loads the active model once at start-up (after storing the shipped folder's versions the database lacks); the service
 * cannot answer anything without it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ModelProperties.class, DeviceProperties.class})
class ModelConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddingService embeddingService(ModelProperties properties, DeviceProperties device, ModelCatalogue catalogue)
            throws IOException {
        DjlRuntime.configure(properties.djlCacheDir(), properties.intraOpThreads());
        catalogue.seed();
        String version = properties.pinnedVersion().orElseGet(() -> catalogue.activeVersion().orElseThrow());
        return EmbeddingService.load(catalogue.materialise(version), device.device());
    }
}
