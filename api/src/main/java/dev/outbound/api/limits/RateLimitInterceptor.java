package dev.outbound.api.limits;

import dev.outbound.api.auth.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.TimeUnit;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Answers 429 when the request's API key has used up its bucket. Runs after authentication, so
 * requests without a valid key are refused (401) before they cost anyone's budget.
 */
class RateLimitInterceptor implements HandlerInterceptor {

  private final TokenBuckets buckets;
  private final int perMinute;

  RateLimitInterceptor(TokenBuckets buckets, int perMinute) {
    this.buckets = buckets;
    this.perMinute = perMinute;
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    Caller.of(request)
        .ifPresent(
            caller -> {
              long wait = buckets.take(caller.keyId());
              if (wait > 0) {
                // Rounded up: a client that waits this long finds a token.
                long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait + 999_999_999L));
                throw new TooManyRequestsException(seconds, perMinute);
              }
            });
    return true;
  }
}
