package dev.outbound.api.auth;

import dev.outbound.crm.ApiKeyScope;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * Who made a request under {@code /api/**}: the API key (by its ID, never the secret), its client
 * and its scope. Filters and interceptors that run after authentication (rate limits) read it with
 * {@link #of(HttpServletRequest)}; controllers take {@link ClientId} instead.
 */
public record Caller(long keyId, long clientId, ApiKeyScope scope) {

  static final String ATTRIBUTE = Caller.class.getName();

  /**
   * The order of the authentication interceptors. Interceptors that need the caller (rate limits)
   * register with a higher order, so they run after it.
   */
  public static final int AUTHENTICATION_ORDER = 0;

  /** The authenticated caller of the request, empty before (or without) authentication. */
  public static Optional<Caller> of(HttpServletRequest request) {
    return Optional.ofNullable((Caller) request.getAttribute(ATTRIBUTE));
  }
}
