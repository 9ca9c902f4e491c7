package dev.outbound.vocabulary.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SuppressionValuesTest {

  @Test
  void lowerCasesAddressesAndDomains() {
    assertThat(SuppressionValues.address("  Ada.Lovelace@Example.COM "))
        .isEqualTo("ada.lovelace@example.com");
    assertThat(SuppressionValues.domain("@Sub.Example.COM.")).isEqualTo("sub.example.com");
  }

  @Test
  void writesInternationalDomainsInTheirAsciiForm() {
    assertThat(SuppressionValues.domain("Bücher.example")).isEqualTo("xn--bcher-kva.example");
    assertThat(SuppressionValues.address("info@bücher.example"))
        .isEqualTo("info@xn--bcher-kva.example");
  }

  @Test
  void rejectsWhatIsNotAnAddressOrADomain() {
    assertThatThrownBy(() -> SuppressionValues.address("no-at-sign"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SuppressionValues.address("@example.com"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SuppressionValues.address("ada@"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SuppressionValues.address("ada lovelace@example.com"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SuppressionValues.address("ada@example.com\r\nBcc: x@y.z"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SuppressionValues.domain("exa mple.com"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SuppressionValues.domain("-bad.example"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SuppressionValues.domain("a..b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SuppressionValues.domain(""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void listsADomainAndItsParentsMostSpecificFirst() {
    assertThat(SuppressionValues.domainAndParents("mail.eu.example.com"))
        .containsExactly("mail.eu.example.com", "eu.example.com", "example.com", "com");
  }
}
