package dev.outbound.vocabulary.tokens;

import dev.outbound.vocabulary.address.SuppressionValues;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and verifies unsubscribe tokens, and builds the headers that carry them.
 *
 * <p>A token is 33 bytes in URL-safe Base64 without padding (44 characters): a version byte, the
 * client ID and the enrolment ID (8 bytes each, big-endian), and the first 16 bytes of an
 * HMAC-SHA256 over a fixed purpose label and those 17 bytes. Truncating the MAC to 128 bits keeps
 * forgery out of reach and keeps {@code unsubscribe+{token}} within the 64 characters RFC 5321
 * allows a mailbox's local part. The purpose label means a MAC made with the same secret for
 * anything else can never pass as an unsubscribe token. IDs are internal numbers only: a token says
 * nothing about the person.
 *
 * <p>Thread-safe; each call makes its own {@link Mac}.
 */
public final class UnsubscribeTokens {

  /** The token layout version; a new layout gets a new number and the old one keeps verifying. */
  public static final byte VERSION = 1;

  /** The value of {@code List-Unsubscribe-Post} that asks for a one-click POST (RFC 8058). */
  public static final String ONE_CLICK = "List-Unsubscribe=One-Click";

  /** The length of every token of {@link #VERSION}. */
  public static final int TOKEN_LENGTH = 44;

  private static final int MAC_BYTES = 16;
  private static final int PAYLOAD_BYTES = 1 + 8 + 8;
  private static final byte[] PURPOSE =
      "outbound-unsubscribe\0".getBytes(StandardCharsets.US_ASCII);
  private static final String LOCAL_PART_PREFIX = "unsubscribe+";

  /** Who a valid token unsubscribes: a client's enrolment (the API's lead ID). */
  public record Subject(long clientId, long enrolmentId) {}

  /**
   * The two headers of a one-click unsubscribe, ready to set on a message.
   *
   * @param listUnsubscribe the {@code List-Unsubscribe} value: the HTTPS link first, then mailto
   * @param listUnsubscribePost the {@code List-Unsubscribe-Post} value, always {@link #ONE_CLICK}
   * @param url the link alone, for the footer of the body
   */
  public record Headers(String listUnsubscribe, String listUnsubscribePost, URI url) {}

  private final SecretKeySpec key;
  private final List<SecretKeySpec> previousKeys;
  private final String baseUrl;
  private final String mailtoDomain;

  /**
   * Tokens signed with {@code secret}; tokens signed with one of {@code previousSecrets} still
   * verify (key rotation). The settings are validated where they are read (crm's {@code
   * UnsubscribeProperties}).
   *
   * @param baseUrl where recipients reach the unsubscribe endpoint
   * @param mailtoDomain the domain of the {@code mailto:} unsubscribe address, or null for none
   */
  public UnsubscribeTokens(
      String secret, List<String> previousSecrets, URI baseUrl, String mailtoDomain) {
    this.key = keyOf(secret);
    List<SecretKeySpec> previous = new ArrayList<>();
    for (String earlier : previousSecrets) {
      previous.add(keyOf(earlier));
    }
    this.previousKeys = List.copyOf(previous);
    String base = baseUrl.toString();
    this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.mailtoDomain =
        mailtoDomain == null || mailtoDomain.isBlank()
            ? null
            : SuppressionValues.domain(mailtoDomain);
  }

  /** The token for an enrolment of a client. Deterministic: the same IDs give the same token. */
  public String issue(long clientId, long enrolmentId) {
    requirePositive(clientId, enrolmentId);
    byte[] payload =
        ByteBuffer.allocate(PAYLOAD_BYTES)
            .put(VERSION)
            .putLong(clientId)
            .putLong(enrolmentId)
            .array();
    byte[] token =
        ByteBuffer.allocate(PAYLOAD_BYTES + MAC_BYTES).put(payload).put(mac(key, payload)).array();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
  }

  /**
   * The client and enrolment of a genuine token, or empty for anything else (forged, altered,
   * truncated, padded, of another secret, of an unknown version, or not a token at all). Which of
   * these it was is deliberately not said.
   */
  public Optional<Subject> verify(String token) {
    if (token == null || token.length() != TOKEN_LENGTH) {
      return Optional.empty();
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(token);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (bytes.length != PAYLOAD_BYTES + MAC_BYTES || bytes[0] != VERSION) {
      return Optional.empty();
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    byte[] payload = new byte[PAYLOAD_BYTES];
    byte[] given = new byte[MAC_BYTES];
    buffer.get(payload).get(given);
    // Every key is tried, also after a match, so the time taken does not say which key matched.
    boolean valid = MessageDigest.isEqual(mac(key, payload), given);
    for (SecretKeySpec previous : previousKeys) {
      valid |= MessageDigest.isEqual(mac(previous, payload), given);
    }
    if (!valid) {
      return Optional.empty();
    }
    ByteBuffer ids = ByteBuffer.wrap(payload, 1, 16);
    long clientId = ids.getLong();
    long enrolmentId = ids.getLong();
    if (clientId <= 0 || enrolmentId <= 0) {
      return Optional.empty();
    }
    return Optional.of(new Subject(clientId, enrolmentId));
  }

  /** The public unsubscribe link of a token: {@code {baseUrl}/u/{token}}. */
  public URI url(String token) {
    return URI.create(baseUrl + "/u/" + token);
  }

  /**
   * The {@code List-Unsubscribe} and {@code List-Unsubscribe-Post} headers for one email: {@code
   * <https://.../u/{token}>, <mailto:unsubscribe+{token}@domain?subject=unsubscribe>} and {@code
   * List-Unsubscribe=One-Click}. The mailto domain is {@code outbound.unsubscribe.mailto-domain}
   * when set, otherwise the domain of {@code mailboxEmail} (the mailbox that sends the email, whose
   * inbox the watcher reads).
   *
   * @throws IllegalArgumentException when no valid mailto domain can be found; the values never
   *     contain line breaks, so they are safe to put into raw headers
   */
  public Headers headers(long clientId, long enrolmentId, String mailboxEmail) {
    String token = issue(clientId, enrolmentId);
    String domain = mailtoDomain != null ? mailtoDomain : domainOf(mailboxEmail);
    URI url = url(token);
    String value =
        "<"
            + url
            + ">, <mailto:"
            + LOCAL_PART_PREFIX
            + token
            + "@"
            + domain
            + "?subject=unsubscribe>";
    return new Headers(value, ONE_CLICK, url);
  }

  /**
   * The subject of an unsubscribe email sent to the mailto address of {@link #headers}: {@code
   * address} is the recipient address as received ({@code unsubscribe+{token}@domain}, in any case
   * of the prefix). Empty when it is not such an address or the token is not genuine.
   */
  public Optional<Subject> verifyMailtoAddress(String address) {
    if (address == null) {
      return Optional.empty();
    }
    int at = address.lastIndexOf('@');
    String local = at < 0 ? address : address.substring(0, at);
    if (local.length() != LOCAL_PART_PREFIX.length() + TOKEN_LENGTH
        || !local
            .substring(0, LOCAL_PART_PREFIX.length())
            .toLowerCase(Locale.ROOT)
            .equals(LOCAL_PART_PREFIX)) {
      return Optional.empty();
    }
    return verify(local.substring(LOCAL_PART_PREFIX.length()));
  }

  private static String domainOf(String mailboxEmail) {
    // The whole address is checked, not just what follows its last '@': "a@x.test>\r\nBcc:
    // b@y.test" ends in a fine domain.
    return SuppressionValues.parseAddress(mailboxEmail)
        .map(address -> address.substring(address.lastIndexOf('@') + 1))
        .orElseThrow(
            () -> new IllegalArgumentException("the mailbox address has no usable domain"));
  }

  private static void requirePositive(long clientId, long enrolmentId) {
    if (clientId <= 0 || enrolmentId <= 0) {
      throw new IllegalArgumentException("client and enrolment IDs must be positive");
    }
  }

  private static SecretKeySpec keyOf(String secret) {
    return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  private static byte[] mac(SecretKeySpec key, byte[] payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(PURPOSE);
      byte[] full = mac.doFinal(payload);
      byte[] truncated = new byte[MAC_BYTES];
      System.arraycopy(full, 0, truncated, 0, MAC_BYTES);
      return truncated;
    } catch (GeneralSecurityException e) {
      // HmacSHA256 is required of every Java platform; this cannot happen on a working JDK.
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
