package io.faceroster.model;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the tower runs ({@code faceroster.device}, a top-level key).
 *
 * @param device {@code cpu}, {@code gpu} (fails at start without a CUDA device or with the CPU libtorch) or
 *               {@code auto} (the GPU when PyTorch sees one, else the CPU)
 */
@ConfigurationProperties("faceroster")
public record DeviceProperties(@DefaultValue("cpu") String device) {
}
