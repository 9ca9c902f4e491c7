package dev.outbound.api;

import dev.outbound.crm.CrmConfiguration;
import dev.outbound.crm.unsubscribe.UnsubscribeConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * The REST API on its own. Holds no beans: the local launcher component-scans {@code
 * dev.outbound.api} without this class, so everything the API needs lives in the feature packages.
 */
@SpringBootApplication
@Import({CrmConfiguration.class, UnsubscribeConfiguration.class})
public class ApiApplication {

  public static void main(String[] args) {
    SpringApplication.run(ApiApplication.class, args);
  }
}
