package dev.outbound.vocabulary.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostPolicyTest {

  /** Literal addresses resolve without DNS; names are made up here. */
  private static InetAddress[] resolve(String host) throws UnknownHostException {
    return switch (host) {
      case "mail.example.com" -> new InetAddress[] {InetAddress.getByName("203.0.113.25")};
      case "split.example.com" ->
          new InetAddress[] {
            InetAddress.getByName("203.0.113.25"), InetAddress.getByName("10.1.2.3")
          };
      case "metadata.google.internal" ->
          new InetAddress[] {InetAddress.getByName("169.254.169.254")};
      case "nowhere.example.com" -> throw new UnknownHostException(host);
      default -> InetAddress.getAllByName(host);
    };
  }

  private final HostPolicy strict = new HostPolicy(false, HostPolicyTest::resolve);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "127.8.9.10",
        "0.0.0.0",
        "10.0.0.1",
        "172.16.5.4",
        "172.31.255.255",
        "192.168.0.1",
        "169.254.169.254",
        "100.64.0.1",
        "100.100.100.200",
        "192.0.0.170",
        "198.18.0.1",
        "224.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd00:ec2::254",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "ff02::1",
        "metadata.google.internal",
        "split.example.com"
      })
  void refusesInternalAddresses(String host) {
    assertThat(strict.refusal(host)).hasValueSatisfying(r -> assertThat(r).contains("internal"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "203.0.113.10",
        "8.8.8.8",
        "172.32.0.1",
        "100.128.0.1",
        "2001:db8::1",
        "mail.example.com"
      })
  void acceptsPublicAddresses(String host) {
    assertThat(strict.refusal(host)).isEmpty();
  }

  @Test
  void refusesAHostThatDoesNotResolveAndAcceptsEverythingWhenAllowed() {
    assertThat(strict.refusal("nowhere.example.com")).contains("does not resolve to an address");
    HostPolicy allowing = new HostPolicy(true, HostPolicyTest::resolve);
    assertThat(allowing.refusal("127.0.0.1")).isEmpty();
    assertThat(allowing.allowsPrivate()).isTrue();
  }
}
