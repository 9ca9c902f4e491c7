package dev.outbound.vocabulary.network;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Decides whether Outbound may connect to a host a user or operator named (SMTP, IMAP, webhook), so
 * that these settings cannot be used to reach internal addresses (server-side request forgery):
 * loopback, private ranges, link-local (where cloud metadata services answer), carrier-grade NAT,
 * unique-local IPv6, multicast and reserved ranges. Every address a name resolves to must pass, so
 * a name with one public and one internal address is refused.
 *
 * <p>The check runs when the host is given. A name whose DNS answer changes later (DNS rebinding)
 * is not caught by it alone; callers that connect may check again right before connecting.
 */
public class HostPolicy {

  /** The policy for production: the system resolver. */
  public static HostPolicy of(boolean allowPrivate) {
    return new HostPolicy(allowPrivate, InetAddress::getAllByName);
  }

  /** Resolves a host name to its addresses; replaceable in tests, which have no DNS. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final boolean allowPrivate;
  private final Resolver resolver;

  public HostPolicy(boolean allowPrivate, Resolver resolver) {
    this.allowPrivate = allowPrivate;
    this.resolver = resolver;
  }

  /** Whether internal addresses are allowed (the operator's switch). */
  public boolean allowsPrivate() {
    return allowPrivate;
  }

  /**
   * Why Outbound must not connect to {@code host}, or empty when it may. The reason is a sentence
   * fragment fit for a problem detail ("resolves to a loopback address ..."); it never repeats the
   * addresses found, which would let a caller map the internal network.
   */
  public Optional<String> refusal(String host) {
    if (allowPrivate) {
      return Optional.empty();
    }
    if (host == null || host.isBlank()) {
      return Optional.of("is empty");
    }
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      return Optional.of("does not resolve to an address");
    }
    if (addresses.length == 0) {
      return Optional.of("does not resolve to an address");
    }
    for (InetAddress address : addresses) {
      if (isInternal(address)) {
        return Optional.of(
            "resolves to a loopback, private, link-local or otherwise internal address, which"
                + " this installation does not allow (OUTBOUND_ALLOW_PRIVATE_HOSTS)");
      }
    }
    return Optional.empty();
  }

  /** Whether {@code address} is one that a user-named host must not reach. */
  public static boolean isInternal(InetAddress address) {
    if (address.isLoopbackAddress()
        || address.isAnyLocalAddress()
        || address.isLinkLocalAddress()
        || address.isSiteLocalAddress()
        || address.isMulticastAddress()) {
      return true;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first == 0 // "this network"
          || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT (and Alibaba's
          // metadata service, 100.100.100.200)
          || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
          || (first == 198 && (second == 18 || second == 19)) // benchmarking
          || first >= 240; // reserved and broadcast
    }
    if (address instanceof Inet6Address v6) {
      if ((b[0] & 0xfe) == 0xfc) {
        return true; // unique local fc00::/7 (AWS metadata's fd00:ec2::254 among them)
      }
      if (isV4Embedded(b)) {
        // ::ffff:a.b.c.d and the deprecated ::a.b.c.d carry an IPv4 address: judge that one.
        try {
          return isInternal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (UnknownHostException e) {
          return true;
        }
      }
      return v6.isIPv4CompatibleAddress();
    }
    return true;
  }

  private static boolean isV4Embedded(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] == 0 && b[11] == 0) || (b[10] == (byte) 0xff && b[11] == (byte) 0xff);
  }
}
