package dev.outbound.api.auth;

import dev.outbound.crm.ApiKeyScope;
import dev.outbound.crm.ClientStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Resolves {@code Authorization: Bearer <api key>} to the key's client and stores it as a request
 * attribute. A missing, unknown or revoked key ends the request with 401, and a read-only key
 * asking for anything but a read with 403, before any controller runs (so before any body is read).
 */
class ApiKeyInterceptor implements HandlerInterceptor {

  static final String CLIENT_ATTRIBUTE = ApiKeyInterceptor.class.getName() + ".client";
  private static final String BEARER = "Bearer ";

  /** The methods a READ key may use: they never change anything. */
  private static final Set<String> READ_METHODS = Set.of("GET", "HEAD");

  private final ClientStore clients;

  ApiKeyInterceptor(ClientStore clients) {
    this.clients = clients;
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    String key = bearerToken(request);
    ClientStore.KeyMatch match =
        clients
            .findApiKey(key)
            .orElseThrow(() -> new UnauthorizedException("The API key is not valid."));
    if (match.revoked()) {
      throw new UnauthorizedException("The API key has been revoked.");
    }
    if (match.scope() == ApiKeyScope.READ && !READ_METHODS.contains(request.getMethod())) {
      throw new ForbiddenException(
          "This API key is read-only (scope READ): it may only use GET. Use a key with scope FULL"
              + " to make changes.");
    }
    request.setAttribute(CLIENT_ATTRIBUTE, new ClientId(match.clientId()));
    request.setAttribute(
        Caller.ATTRIBUTE, new Caller(match.keyId(), match.clientId(), match.scope()));
    return true;
  }

  /** The key of {@code Authorization: Bearer <key>}; a 401 when there is none. */
  static String bearerToken(HttpServletRequest request) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new UnauthorizedException("Send the API key as 'Authorization: Bearer <api key>'.");
    }
    String key = header.substring(BEARER.length()).trim();
    if (key.isEmpty()) {
      throw new UnauthorizedException("Send the API key as 'Authorization: Bearer <api key>'.");
    }
    return key;
  }
}
