package dev.outbound.crm;

import dev.outbound.crm.network.NetworkProperties;
import dev.outbound.vocabulary.network.HostPolicy;
import dev.outbound.vocabulary.tokens.CredentialCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/**
 * Imported by the applications that use the CRM tables (api, worker, launcher). Besides the stores
 * it scans, it provides the two plain-Java policies of the vocabulary module that the stores and
 * their callers share, built from the settings.
 */
@Configuration(proxyBeanMethods = false)
@ComponentScan
@EnableConfigurationProperties({
  CrmProperties.class,
  LimitProperties.class,
  NetworkProperties.class
})
public class CrmConfiguration {

  private static final Logger log = LoggerFactory.getLogger(CrmConfiguration.class);

  @Bean
  CredentialCipher credentialCipher(CrmProperties properties) {
    if (CrmProperties.DEV_CREDENTIALS_KEY.equals(properties.credentialsKey())) {
      log.warn(
          "Mailbox credentials are encrypted with the development key; set OUTBOUND_CREDENTIALS_KEY"
              + " in any environment that stores real passwords.");
    }
    return new CredentialCipher(properties.credentialsKey());
  }

  @Bean
  HostPolicy hostPolicy(NetworkProperties properties) {
    return HostPolicy.of(properties.allowPrivateHosts());
  }
}
