package dev.outbound.api.auth;

import dev.outbound.crm.ClientStore;
import java.util.List;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * API-key authentication on {@code /api/**}. The OpenAPI document and the health probes live
 * outside that path and stay open.
 */
@Configuration(proxyBeanMethods = false)
class AuthConfiguration implements WebMvcConfigurer {

  static {
    // The client comes from the API key, not from the request: keep it out of the OpenAPI document.
    SpringDocUtils.getConfig().addRequestWrapperToIgnore(ClientId.class);
  }

  private final ClientStore clients;

  AuthConfiguration(ClientStore clients) {
    this.clients = clients;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(new ApiKeyInterceptor(clients)).addPathPatterns("/api/**");
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(new ClientIdResolver());
  }
}
