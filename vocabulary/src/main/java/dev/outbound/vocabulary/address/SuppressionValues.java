package dev.outbound.vocabulary.address;

import java.net.IDN;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The normal form of suppressed values: addresses and domains lower-cased, domains in their ASCII
 * (punycode) form without a trailing dot. Lookups and inserts both go through here, so
 * "Ada@Example.COM" and "ada@example.com" are one entry, and "bücher.example" matches
 * "xn--bcher-kva.example".
 */
public final class SuppressionValues {

  private static final Pattern LABEL = Pattern.compile("[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?");

  /** Anything that could not be part of an address on the wire, including CR and LF. */
  private static final Pattern FORBIDDEN = Pattern.compile("[\\s\\p{Cntrl}<>,;\"]");

  private SuppressionValues() {}

  /**
   * The normal form of an email address.
   *
   * @throws IllegalArgumentException when {@code email} is not a plain address ({@code
   *     local@domain})
   */
  public static String address(String email) {
    return parseAddress(email)
        .orElseThrow(() -> new IllegalArgumentException("not a plain email address"));
  }

  /**
   * The normal form of a domain; a leading {@code @} (as in "@example.com") is accepted and
   * dropped.
   *
   * @throws IllegalArgumentException when {@code domain} is not a valid host name
   */
  public static String domain(String domain) {
    String value = domain == null ? null : domain.strip();
    if (value != null && value.startsWith("@")) {
      value = value.substring(1);
    }
    return parseDomain(value)
        .orElseThrow(() -> new IllegalArgumentException("not a valid domain name"));
  }

  /** The normal form of an address, or empty when it is not a plain address. */
  public static Optional<String> parseAddress(String email) {
    if (email == null) {
      return Optional.empty();
    }
    String value = email.strip();
    int at = value.lastIndexOf('@');
    if (at <= 0 || at == value.length() - 1 || value.length() > 320) {
      return Optional.empty();
    }
    String local = value.substring(0, at);
    if (FORBIDDEN.matcher(local).find() || local.indexOf('@') >= 0) {
      return Optional.empty();
    }
    return parseDomain(value.substring(at + 1))
        .map(domain -> local.toLowerCase(Locale.ROOT) + "@" + domain);
  }

  /** The normal form of a domain, or empty when it is not a valid host name. */
  public static Optional<String> parseDomain(String domain) {
    if (domain == null || domain.isBlank() || FORBIDDEN.matcher(domain).find()) {
      return Optional.empty();
    }
    String value = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
    try {
      value = IDN.toASCII(value, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (value.isEmpty() || value.length() > 253) {
      return Optional.empty();
    }
    for (String label : value.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return Optional.empty();
      }
    }
    return Optional.of(value);
  }

  /**
   * A normalised domain and each of its parents, most specific first: {@code a.b.example.com},
   * {@code b.example.com}, {@code example.com}, {@code com}. A domain entry for any of them
   * suppresses an address on the first.
   */
  public static List<String> domainAndParents(String normalisedDomain) {
    List<String> result = new ArrayList<>();
    String current = normalisedDomain;
    while (true) {
      result.add(current);
      int dot = current.indexOf('.');
      if (dot < 0) {
        return result;
      }
      current = current.substring(dot + 1);
    }
  }

  /** The domain part of a normalised address. */
  public static String domainOf(String normalisedAddress) {
    return normalisedAddress.substring(normalisedAddress.lastIndexOf('@') + 1);
  }
}
