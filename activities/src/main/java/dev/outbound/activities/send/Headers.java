package dev.outbound.activities.send;

/**
 * Header hygiene. Jakarta Mail passes CR and LF in header values through (a probe injected a {@code
 * Bcc} that way), and a line break in a header lets its value add headers of its own (a {@code
 * Bcc}, say), so every value we put into a header is checked here first.
 */
final class Headers {

  private Headers() {}

  static boolean hasLineBreak(String value) {
    return value != null && (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0);
  }

  /** Throws when {@code value} contains CR or LF; the message names the header, not the value. */
  static void requireSingleLine(String value, String header) {
    if (hasLineBreak(value)) {
      throw new IllegalArgumentException("the " + header + " header value contains a line break");
    }
  }
}
