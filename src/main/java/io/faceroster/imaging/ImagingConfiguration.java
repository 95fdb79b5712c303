package io.faceroster.imaging;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ImagingProperties.class)
class ImagingConfiguration {

    @Bean
    ImageDecoder imageDecoder(ImagingProperties properties, DecodeBudget budget) {
        return new ImageDecoder(properties.limits(), budget);
    }

    @Bean
    DecodeBudget decodeBudget(ImagingProperties properties) {
        return DecodeBudget.ofHeap(properties.decodeHeapShare(), properties.decodeWait());
    }

    @Bean(destroyMethod = "close")
    FaceDetector faceDetector(ImagingProperties properties) {
        return new FaceDetector(properties.detection().model(), properties.detection().minScore());
    }
}
