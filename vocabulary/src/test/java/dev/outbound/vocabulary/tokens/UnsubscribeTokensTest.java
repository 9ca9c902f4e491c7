package dev.outbound.vocabulary.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outbound.vocabulary.tokens.UnsubscribeTokens.Subject;
import java.net.URI;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnsubscribeTokensTest {

  private static final String SECRET = "0123456789abcdef0123456789abcdef-test";
  private static final String OTHER_SECRET = "fedcba9876543210fedcba9876543210-other";

  private static UnsubscribeTokens tokens(String secret, List<String> previous, String mailto) {
    return new UnsubscribeTokens(
        secret, previous, URI.create("https://links.agency.example/"), mailto);
  }

  private final UnsubscribeTokens tokens = tokens(SECRET, List.of(), null);

  @Test
  void aTokenNamesTheClientAndTheEnrolmentItWasIssuedFor() {
    String token = tokens.issue(7, 123_456_789_012L);

    assertThat(token).hasSize(UnsubscribeTokens.TOKEN_LENGTH).matches("[A-Za-z0-9_-]+");
    assertThat(tokens.verify(token)).contains(new Subject(7, 123_456_789_012L));
    assertThat(tokens.issue(7, 123_456_789_012L)).isEqualTo(token);
    assertThat(tokens.issue(7, 123_456_789_013L)).isNotEqualTo(token);
  }

  @Test
  void rejectsEveryAlteredCharacter() {
    String token = tokens.issue(3, 45);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < token.length(); i++) {
      char original = token.charAt(i);
      char replacement = alphabet.charAt((alphabet.indexOf(original) + 1) % alphabet.length());
      String altered = token.substring(0, i) + replacement + token.substring(i + 1);
      assertThat(tokens.verify(altered)).as("changed at %d", i).isEmpty();
    }
  }

  @Test
  void rejectsAForgedTokenThatNamesAnotherEnrolment() {
    byte[] bytes = Base64.getUrlDecoder().decode(tokens.issue(3, 45));
    bytes[16] = 46; // the last byte of the enrolment ID, with the MAC of 45 left in place

    String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

    assertThat(tokens.verify(forged)).isEmpty();
  }

  @Test
  void rejectsTruncatedPaddedAndMalformedTokens() {
    String token = tokens.issue(3, 45);

    assertThat(tokens.verify(token.substring(0, token.length() - 1))).isEmpty();
    assertThat(tokens.verify(token.substring(0, 22))).isEmpty();
    assertThat(tokens.verify(token + "=")).isEmpty();
    assertThat(tokens.verify(token + "A")).isEmpty();
    assertThat(tokens.verify("")).isEmpty();
    assertThat(tokens.verify(null)).isEmpty();
    assertThat(tokens.verify("!".repeat(UnsubscribeTokens.TOKEN_LENGTH))).isEmpty();
    // The standard Base64 alphabet's '+' and '/' are not part of the URL-safe one.
    assertThat(tokens.verify(token.substring(0, token.length() - 1) + "+")).isEmpty();
  }

  @Test
  void rejectsATokenOfAnotherSecret() {
    String foreign = tokens(OTHER_SECRET, List.of(), null).issue(3, 45);

    assertThat(tokens.verify(foreign)).isEmpty();
  }

  @Test
  void rejectsAnUnknownVersion() {
    byte[] bytes = Base64.getUrlDecoder().decode(tokens.issue(3, 45));
    bytes[0] = 2;

    assertThat(tokens.verify(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)))
        .isEmpty();
  }

  @Test
  void acceptsTokensOfAPreviousSecretAfterARotationButIssuesWithTheNewOne() {
    String old = tokens.issue(3, 45);
    UnsubscribeTokens rotated = tokens(OTHER_SECRET, List.of(SECRET), null);

    assertThat(rotated.verify(old)).contains(new Subject(3, 45));
    assertThat(rotated.issue(3, 45)).isNotEqualTo(old);
    assertThat(tokens.verify(rotated.issue(3, 45))).isEmpty();
  }

  @Test
  void refusesToIssueForIdsThatCannotExist() {
    assertThatThrownBy(() -> tokens.issue(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tokens.issue(1, -5)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void buildsOneClickHeadersWithTheLinkFirstAndTheMailtoOnTheMailboxDomain() {
    UnsubscribeTokens.Headers headers = tokens.headers(3, 45, "Sam@Sales.Agency.example");
    String token = tokens.issue(3, 45);

    assertThat(headers.listUnsubscribe())
        .isEqualTo(
            "<https://links.agency.example/u/"
                + token
                + ">, <mailto:unsubscribe+"
                + token
                + "@sales.agency.example?subject=unsubscribe>");
    assertThat(headers.listUnsubscribePost()).isEqualTo("List-Unsubscribe=One-Click");
    assertThat(headers.url()).isEqualTo(URI.create("https://links.agency.example/u/" + token));
    // RFC 5321 allows 64 characters in a local part.
    assertThat(("unsubscribe+" + token).length()).isLessThanOrEqualTo(64);
  }

  @Test
  void usesTheConfiguredMailtoDomainWhenThereIsOne() {
    UnsubscribeTokens configured = tokens(SECRET, List.of(), "Unsub.Agency.example");

    assertThat(configured.headers(3, 45, "sam@sales.example").listUnsubscribe())
        .endsWith("@unsub.agency.example?subject=unsubscribe>");
  }

  @Test
  void refusesAMailboxAddressThatWouldBreakTheHeader() {
    assertThatThrownBy(() -> tokens.headers(3, 45, "sam@sales.example>\r\nBcc: x@evil.example"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tokens.headers(3, 45, "no-domain"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsTheSubjectBackFromTheMailtoAddress() {
    String token = tokens.issue(3, 45);

    assertThat(tokens.verifyMailtoAddress("unsubscribe+" + token + "@sales.example"))
        .contains(new Subject(3, 45));
    assertThat(tokens.verifyMailtoAddress("Unsubscribe+" + token + "@sales.example"))
        .contains(new Subject(3, 45));
    assertThat(tokens.verifyMailtoAddress("sam+" + token + "@sales.example")).isEmpty();
    assertThat(tokens.verifyMailtoAddress("unsubscribe@sales.example")).isEmpty();
  }
}
