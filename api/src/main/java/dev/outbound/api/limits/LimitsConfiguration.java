package dev.outbound.api.limits;

import dev.outbound.api.auth.Caller;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Rate limits on the clients' API ({@code /api/**} but the admin API). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RateLimitProperties.class)
class LimitsConfiguration implements WebMvcConfigurer {

  private final RateLimitProperties properties;

  LimitsConfiguration(RateLimitProperties properties) {
    this.properties = properties;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    if (!properties.enabled()) {
      return;
    }
    TokenBuckets buckets =
        new TokenBuckets(properties.burst(), properties.requestsPerMinute(), System::nanoTime);
    registry
        .addInterceptor(new RateLimitInterceptor(buckets, properties.requestsPerMinute()))
        .addPathPatterns("/api/**")
        .excludePathPatterns("/api/v1/admin/**")
        .order(Caller.AUTHENTICATION_ORDER + 10);
  }
}
