package dev.outbound.api.auth;

import dev.outbound.crm.ApiKeys;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.MessageDigest;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Guards the admin API with the operator's key. Client API keys never pass here, and the admin key
 * is no client's key, so the two worlds cannot be mixed up. Without a configured key the admin API
 * is off (403).
 */
class AdminKeyInterceptor implements HandlerInterceptor {

  private final byte[] adminKeyHash;

  AdminKeyInterceptor(AdminProperties properties) {
    this.adminKeyHash = properties.enabled() ? ApiKeys.hash(properties.key()) : null;
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (adminKeyHash == null) {
      throw new ForbiddenException(
          "The admin API is off: the operator has not set OUTBOUND_ADMIN_KEY.");
    }
    String key = ApiKeyInterceptor.bearerToken(request);
    // Comparing hashes in constant time tells an attacker nothing about how much of a guess
    // matched.
    if (!MessageDigest.isEqual(adminKeyHash, ApiKeys.hash(key))) {
      throw new UnauthorizedException("The admin key is not valid.");
    }
    return true;
  }
}
