package dev.outbound.launcher;

import dev.outbound.api.ApiApplication;
import dev.outbound.crm.CrmConfiguration;
import dev.outbound.crm.unsubscribe.UnsubscribeConfiguration;
import dev.outbound.worker.WorkerApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;

/**
 * The API and the worker in one JVM on embedded parts: {@code ./mvnw -pl launcher -am
 * spring-boot:run} (add {@code -Dspring-boot.run.arguments=--demo} for the walkthrough). See
 * README.md.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableConfigurationProperties(DevProperties.class)
@ComponentScan(
    basePackages = {
      "dev.outbound.launcher",
      "dev.outbound.api",
      "dev.outbound.worker",
      "dev.outbound.activities"
    },
    excludeFilters =
        @ComponentScan.Filter(
            type = FilterType.ASSIGNABLE_TYPE,
            classes = {ApiApplication.class, WorkerApplication.class}))
@Import({CrmConfiguration.class, UnsubscribeConfiguration.class})
public class LauncherApplication {

  public static void main(String[] args) {
    builder().run(args);
  }

  /** The launcher with its embedded stack; tests use it with their own ports. */
  public static SpringApplicationBuilder builder() {
    return new SpringApplicationBuilder(LauncherApplication.class).listeners(new EmbeddedStack());
  }
}
