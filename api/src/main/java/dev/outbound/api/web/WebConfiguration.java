package dev.outbound.api.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The API's settings, the request size limit and the frame of its OpenAPI document (served at
 * {@code /v3/api-docs}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ApiProperties.class, RequestSizeProperties.class})
class WebConfiguration {

  /** Runs before everything that could read a body, authentication included. */
  @Bean
  FilterRegistrationBean<RequestSizeFilter> requestSizeFilter(RequestSizeProperties properties) {
    FilterRegistrationBean<RequestSizeFilter> registration =
        new FilterRegistrationBean<>(new RequestSizeFilter(properties));
    registration.addUrlPatterns("/api/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return registration;
  }

  @Bean
  OpenAPI outboundOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Outbound API")
                .version("v1")
                .description(
                    "Campaigns, leads and mailboxes of one client. Authenticate with"
                        + " 'Authorization: Bearer <api key>'. Errors are RFC 9457 problem"
                        + " details."))
        .components(
            new Components()
                .addSecuritySchemes(
                    "apiKey", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")))
        .addSecurityItem(new SecurityRequirement().addList("apiKey"));
  }
}
