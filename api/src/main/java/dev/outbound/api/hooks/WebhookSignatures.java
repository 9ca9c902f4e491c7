package dev.outbound.api.hooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures of inbound webhooks. Each client has its own signing secret, derived from the master
 * secret and the client's ID (HMAC-SHA256), so a secret handed to one client's booking tool signs
 * nothing for another client, and no secret is stored. A request is signed as {@code
 * sha256=hex(HMAC-SHA256(clientSecret, timestamp + "." + body))}.
 */
final class WebhookSignatures {

  static final String PREFIX = "sha256=";

  private final byte[] master;

  WebhookSignatures(String masterSecret) {
    this.master = masterSecret.getBytes(StandardCharsets.UTF_8);
  }

  /** The signing secret of client {@code clientId}, as given to its booking tool. */
  String clientSecret(long clientId) {
    return "whsec_" + HexFormat.of().formatHex(hmac(master, "meetings:" + clientId));
  }

  /** The signature header value of {@code body} sent at {@code timestamp} for the client. */
  String sign(long clientId, long timestamp, byte[] body) {
    byte[] secret = clientSecret(clientId).getBytes(StandardCharsets.UTF_8);
    byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.UTF_8);
    byte[] signed = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, signed, 0, prefix.length);
    System.arraycopy(body, 0, signed, prefix.length, body.length);
    return PREFIX + HexFormat.of().formatHex(hmac(secret, signed));
  }

  /** Whether {@code signature} is the client's signature of the body (constant-time compare). */
  boolean verify(long clientId, long timestamp, byte[] body, String signature) {
    if (signature == null) {
      return false;
    }
    byte[] expected = sign(clientId, timestamp, body).getBytes(StandardCharsets.UTF_8);
    byte[] given = signature.strip().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, given);
  }

  private static byte[] hmac(byte[] key, String data) {
    return hmac(key, data.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }
}
