package io.faceroster.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the HTTP layer ({@code faceroster.web.*}).
 *
 * @param maxJsonBodyBytes largest JSON request body read (413 {@code request_too_large} beyond)
 */
@ConfigurationProperties("faceroster.web")
public record WebProperties(@DefaultValue("1048576") long maxJsonBodyBytes) {
}
