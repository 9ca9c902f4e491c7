package dev.outbound.activities.inbound;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/**
 * Binds {@code outbound.inbound.*}. Picked up by the activities' component scan; every setting has
 * a working default, so an application that does not read inboxes is not affected.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({InboundProperties.class, WatchProperties.class})
class InboundConfiguration {}
