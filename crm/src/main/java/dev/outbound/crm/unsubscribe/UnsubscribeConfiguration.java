package dev.outbound.crm.unsubscribe;

import dev.outbound.vocabulary.tokens.UnsubscribeTokens;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Provides {@link UnsubscribeTokens} from {@code outbound.unsubscribe.*}. Import it with
 * {@code @Import(UnsubscribeConfiguration.class)} in the applications that issue (worker) or verify
 * (api) tokens; such an application does not start without a secret and a base URL.
 *
 * <p>Deliberately not annotated {@code @Configuration}: the CRM configuration scans its packages,
 * and an application that only reads the CRM tables must not be made to need the secret.
 */
@EnableConfigurationProperties(UnsubscribeProperties.class)
public class UnsubscribeConfiguration {

  @Bean
  UnsubscribeTokens unsubscribeTokens(UnsubscribeProperties properties) {
    return properties.tokens();
  }
}
