package dev.outbound.api.auth;

import dev.outbound.crm.ClientStore;
import java.util.List;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * API-key authentication on {@code /api/**}, and the admin key on {@code /api/v1/admin/**}. The
 * OpenAPI document, the health probes and the public unsubscribe page live outside that path and
 * stay open.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AdminProperties.class)
class AuthConfiguration implements WebMvcConfigurer {

  /** The admin API's paths: the operator's key, never a client's. */
  static final String ADMIN_PATHS = "/api/v1/admin/**";

  static {
    // The client comes from the API key, not from the request: keep it out of the OpenAPI document.
    SpringDocUtils.getConfig().addRequestWrapperToIgnore(ClientId.class);
  }

  private final ClientStore clients;
  private final AdminProperties admin;

  AuthConfiguration(ClientStore clients, AdminProperties admin) {
    this.clients = clients;
    this.admin = admin;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry
        .addInterceptor(new ApiKeyInterceptor(clients))
        .addPathPatterns("/api/**")
        .excludePathPatterns(ADMIN_PATHS)
        .order(Caller.AUTHENTICATION_ORDER);
    registry
        .addInterceptor(new AdminKeyInterceptor(admin))
        .addPathPatterns(ADMIN_PATHS)
        .order(Caller.AUTHENTICATION_ORDER);
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(new ClientIdResolver());
  }
}
