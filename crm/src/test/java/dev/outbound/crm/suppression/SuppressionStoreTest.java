package dev.outbound.crm.suppression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outbound.crm.ClientStore;
import dev.outbound.crm.CrmConfiguration;
import dev.outbound.crm.admin.Page;
import dev.outbound.crm.suppression.SuppressionStore.Kind;
import dev.outbound.crm.suppression.SuppressionStore.Reason;
import dev.outbound.crm.suppression.SuppressionStore.Suppression;
import dev.outbound.crm.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The suppression list on a real PostgreSQL, migrated by Flyway. */
@SpringBootTest(classes = SuppressionStoreTest.App.class)
@Tag("slow")
class SuppressionStoreTest {

  @SpringBootApplication
  @Import(CrmConfiguration.class)
  static class App {}

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
  }

  @Autowired ClientStore clients;
  @Autowired SuppressionStore store;
  @Autowired JdbcClient jdbc;

  long acme;
  long globex;

  @BeforeEach
  void emptyList() {
    jdbc.sql("delete from suppressions").update();
    acme = clients.ensureClient("acme", "Acme");
    globex = clients.ensureClient("globex", "Globex");
  }

  @Test
  void anAddressIsSuppressedWhateverItsCase() {
    assertThat(store.add(acme, Kind.ADDRESS, "Ada@Example.com", Reason.UNSUBSCRIBED, "lead 5"))
        .isTrue();

    assertThat(store.isSuppressed(acme, "ada@example.com")).isTrue();
    assertThat(store.isSuppressed(acme, "ADA@EXAMPLE.COM")).isTrue();
    assertThat(store.isSuppressed(acme, "grace@example.com")).isFalse();
    assertThat(store.isSuppressed(acme, "ada@example.org")).isFalse();
  }

  @Test
  void addingTwiceKeepsTheFirstEntry() {
    assertThat(store.add(acme, Kind.ADDRESS, "ada@example.com", Reason.UNSUBSCRIBED, "link"))
        .isTrue();
    assertThat(store.add(acme, Kind.ADDRESS, "ADA@example.com", Reason.HARD_BOUNCE, "bounce"))
        .isFalse();

    Suppression only = store.list(acme, null, 0, 10).items().get(0);
    assertThat(only.reason()).isEqualTo(Reason.UNSUBSCRIBED);
    assertThat(only.source()).isEqualTo("link");
    assertThat(only.value()).isEqualTo("ada@example.com");
    assertThat(store.list(acme, null, 0, 10).total()).isEqualTo(1);
  }

  @Test
  void aDomainSuppressesItsAddressesAndSubdomainsButNotItsLookalikes() {
    store.add(acme, Kind.DOMAIN, "Example.com", Reason.MANUAL, null);

    assertThat(store.isSuppressed(acme, "anyone@example.com")).isTrue();
    assertThat(store.isSuppressed(acme, "anyone@mail.eu.example.com")).isTrue();
    assertThat(store.isSuppressed(acme, "anyone@notexample.com")).isFalse();
    assertThat(store.isSuppressed(acme, "anyone@example.com.evil.test")).isFalse();
    assertThat(store.isSuppressed(acme, "example.com@other.test")).isFalse();
  }

  @Test
  void saysWhichEntrySuppressesAnAddressPreferringTheMostSpecific() {
    store.add(acme, Kind.DOMAIN, "example.com", Reason.MANUAL, "whole company");
    store.add(acme, Kind.DOMAIN, "eu.example.com", Reason.COMPLAINT, "eu office");
    store.add(acme, Kind.ADDRESS, "ada@eu.example.com", Reason.UNSUBSCRIBED, "link");

    assertThat(store.match(acme, "ada@eu.example.com").orElseThrow().reason())
        .isEqualTo(Reason.UNSUBSCRIBED);
    assertThat(store.match(acme, "bob@sales.eu.example.com").orElseThrow().source())
        .isEqualTo("eu office");
    assertThat(store.match(acme, "carl@us.example.com").orElseThrow().source())
        .isEqualTo("whole company");
  }

  @Test
  void oneClientsSuppressionsDoNotReachAnother() {
    store.add(acme, Kind.ADDRESS, "ada@example.com", Reason.UNSUBSCRIBED, null);
    store.add(acme, Kind.DOMAIN, "example.org", Reason.MANUAL, null);

    assertThat(store.isSuppressed(globex, "ada@example.com")).isFalse();
    assertThat(store.isSuppressed(globex, "bob@example.org")).isFalse();
    assertThat(store.list(globex, null, 0, 10).total()).isZero();
    assertThat(store.remove(globex, Kind.ADDRESS, "ada@example.com")).isFalse();
    assertThat(store.isSuppressed(acme, "ada@example.com")).isTrue();
    long acmeEntry = store.list(acme, Kind.ADDRESS, 0, 1).items().get(0).id();
    assertThat(store.find(globex, acmeEntry)).isEmpty();
    assertThat(store.find(acme, acmeEntry)).isPresent();
  }

  @Test
  void removingLiftsOnlyThatEntry() {
    store.add(acme, Kind.ADDRESS, "ada@example.com", Reason.MANUAL, null);
    store.add(acme, Kind.DOMAIN, "example.org", Reason.MANUAL, null);

    assertThat(store.remove(acme, Kind.ADDRESS, "ADA@example.com")).isTrue();
    assertThat(store.remove(acme, Kind.ADDRESS, "ada@example.com")).isFalse();
    assertThat(store.remove(acme, Kind.ADDRESS, "bob@example.org")).isFalse();

    assertThat(store.isSuppressed(acme, "ada@example.com")).isFalse();
    assertThat(store.isSuppressed(acme, "bob@example.org")).isTrue();
  }

  @Test
  void listsNewestFirstInPagesAndByKind() {
    for (int i = 1; i <= 5; i++) {
      store.add(acme, Kind.ADDRESS, "lead" + i + "@example.com", Reason.HARD_BOUNCE, null);
    }
    store.add(acme, Kind.DOMAIN, "example.net", Reason.MANUAL, null);

    Page<Suppression> first = store.list(acme, null, 0, 4);
    Page<Suppression> second = store.list(acme, null, 1, 4);
    assertThat(first.total()).isEqualTo(6);
    assertThat(first.items())
        .extracting(Suppression::value)
        .containsExactly(
            "example.net", "lead5@example.com", "lead4@example.com", "lead3@example.com");
    assertThat(second.items())
        .extracting(Suppression::value)
        .containsExactly("lead2@example.com", "lead1@example.com");
    assertThat(store.list(acme, Kind.DOMAIN, 0, 10).items())
        .extracting(Suppression::value)
        .containsExactly("example.net");
    assertThat(store.list(acme, Kind.ADDRESS, 0, 10).total()).isEqualTo(5);
  }

  @Test
  void checksAWholeImportInOneGo() {
    store.add(acme, Kind.ADDRESS, "ada@example.com", Reason.UNSUBSCRIBED, null);
    store.add(acme, Kind.DOMAIN, "blocked.example", Reason.MANUAL, null);
    List<String> emails = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      emails.add("lead" + i + "@example.com");
    }
    emails.add(700, "ADA@example.com");
    emails.add("someone@sub.blocked.example");
    emails.add("not an address");

    Map<String, Suppression> suppressed = store.suppressedAmong(acme, emails);

    assertThat(suppressed.keySet())
        .containsExactly("ADA@example.com", "someone@sub.blocked.example");
    assertThat(suppressed.get("ADA@example.com").reason()).isEqualTo(Reason.UNSUBSCRIBED);
    assertThat(suppressed.get("someone@sub.blocked.example").value()).isEqualTo("blocked.example");
    assertThat(store.suppressedAmong(globex, emails)).isEmpty();
    assertThat(store.suppressedAmong(acme, List.of())).isEmpty();
  }

  @Test
  void rejectsValuesThatAreNotAddressesOrDomains() {
    assertThatThrownBy(() -> store.add(acme, Kind.ADDRESS, "example.com", Reason.MANUAL, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.add(acme, Kind.DOMAIN, "a b.example", Reason.MANUAL, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.isSuppressed(acme, "garbage")).isFalse();
  }

  @Test
  void theTableItselfRefusesValuesThatAreNotLowerCase() {
    assertThatThrownBy(
            () ->
                jdbc.sql(
                        "insert into suppressions (client_id, kind, value, reason)"
                            + " values (:client, 'ADDRESS', 'Ada@Example.com', 'MANUAL')")
                    .param("client", acme)
                    .update())
        .isInstanceOf(DataIntegrityViolationException.class);
  }
}
