package dev.outbound.crm.unsubscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outbound.vocabulary.tokens.UnsubscribeTokens;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.annotation.UserConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.stereotype.Component;

/** How the settings bind, and that only applications that ask for tokens need a secret. */
class UnsubscribeConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(UserConfigurations.of(UnsubscribeConfiguration.class));

  @Test
  void providesTokensWhenSecretAndBaseUrlAreSet() {
    runner
        .withPropertyValues(
            "outbound.unsubscribe.secret=0123456789abcdef0123456789abcdef",
            "outbound.unsubscribe.base-url=https://links.agency.example")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              UnsubscribeTokens tokens = context.getBean(UnsubscribeTokens.class);
              assertThat(tokens.verify(tokens.issue(1, 2))).isPresent();
            });
  }

  @Test
  void doesNotStartWithoutASecret() {
    runner
        .withPropertyValues("outbound.unsubscribe.base-url=https://links.agency.example")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("OUTBOUND_UNSUBSCRIBE_SECRET"));
  }

  @Test
  void doesNotStartWithAShortSecret() {
    runner
        .withPropertyValues(
            "outbound.unsubscribe.secret=short",
            "outbound.unsubscribe.base-url=https://links.agency.example")
        .run(
            context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("32 bytes"));
  }

  @Test
  void componentScanningOfTheCrmDoesNotPickItUp() {
    // CrmConfiguration scans dev.outbound.crm and below; an application that only reads the CRM
    // tables must not be made to need the secret. (The repository tests start the CRM without one.)
    assertThat(AnnotatedElementUtils.hasAnnotation(UnsubscribeConfiguration.class, Component.class))
        .isFalse();
    assertThat(AnnotatedElementUtils.hasAnnotation(UnsubscribeTokens.class, Component.class))
        .isFalse();
  }

  private static final String SECRET = "0123456789abcdef0123456789abcdef-test";

  @Test
  void settingsRequireALongEnoughSecretAndAPlainBaseUrl() {
    URI base = URI.create("https://links.example");
    assertThatThrownBy(() -> new UnsubscribeProperties("too-short", List.of(), base, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 32 bytes")
        .hasMessageNotContaining("too-short");
    assertThatThrownBy(() -> new UnsubscribeProperties(SECRET, List.of("short"), base, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new UnsubscribeProperties(SECRET, List.of(), URI.create("/relative"), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new UnsubscribeProperties(
                    SECRET, List.of(), URI.create("https://links.example/?a=b"), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new UnsubscribeProperties(SECRET, List.of(), URI.create("ftp://x.example"), null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
