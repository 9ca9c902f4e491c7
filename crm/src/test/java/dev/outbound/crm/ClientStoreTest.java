package dev.outbound.crm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbound.crm.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(classes = ClientStoreTest.App.class)
@Tag("slow")
class ClientStoreTest {

  @SpringBootApplication
  static class App {}

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
  }

  @Autowired ClientStore clients;

  @Test
  void findsTheClientOfAnApiKeyByItsHash() {
    long acme = clients.ensureClient("acme", "Acme");
    clients.ensureApiKey(acme, "acme-secret", "test");

    assertThat(clients.clientIdForApiKey("acme-secret")).contains(acme);
    assertThat(clients.clientIdForApiKey("other")).isEmpty();
  }

  @Test
  void ensuringAClientTwiceKeepsOneClient() {
    long first = clients.ensureClient("twice", "Twice");
    long second = clients.ensureClient("twice", "Twice again");

    assertThat(second).isEqualTo(first);
  }
}
