package dev.outbound.crm;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/** Imported by the applications that use the CRM tables (api, worker, launcher). */
@Configuration(proxyBeanMethods = false)
@ComponentScan
@EnableConfigurationProperties({
  CrmProperties.class,
  LimitProperties.class,
  dev.outbound.crm.network.NetworkProperties.class
})
public class CrmConfiguration {}
