package dev.outbound.api.auth;

import dev.outbound.crm.ClientStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Resolves {@code Authorization: Bearer <api key>} to the key's client and stores it as a request
 * attribute. A missing or unknown key ends the request with 401 before any controller runs.
 */
class ApiKeyInterceptor implements HandlerInterceptor {

  static final String CLIENT_ATTRIBUTE = ApiKeyInterceptor.class.getName() + ".client";
  private static final String BEARER = "Bearer ";

  private final ClientStore clients;

  ApiKeyInterceptor(ClientStore clients) {
    this.clients = clients;
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new UnauthorizedException("Send the API key as 'Authorization: Bearer <api key>'.");
    }
    String key = header.substring(BEARER.length()).trim();
    if (key.isEmpty()) {
      throw new UnauthorizedException("Send the API key as 'Authorization: Bearer <api key>'.");
    }
    long client =
        clients
            .clientIdForApiKey(key)
            .orElseThrow(() -> new UnauthorizedException("The API key is not valid."));
    request.setAttribute(CLIENT_ATTRIBUTE, new ClientId(client));
    return true;
  }
}
