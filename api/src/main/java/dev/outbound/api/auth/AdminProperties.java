package dev.outbound.api.auth;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operator's key for the admin API ({@code /api/v1/admin/**}: clients and their API keys).
 *
 * @param key {@code OUTBOUND_ADMIN_KEY}; empty (the default) turns the admin API off: its endpoints
 *     answer 403 and the app runs as usual. Use a long random value; it is compared by hash in
 *     constant time and never logged.
 */
@ConfigurationProperties("outbound.api.admin")
public record AdminProperties(@DefaultValue("") String key) {

  public AdminProperties {
    key = key == null ? "" : key.strip();
  }

  public boolean enabled() {
    return !key.isEmpty();
  }

  @Override
  public String toString() {
    // A record's toString would print the key (e.g. in a failure analysis or a debugger).
    return "AdminProperties[key=" + (enabled() ? "(set)" : "(empty)") + "]";
  }
}
