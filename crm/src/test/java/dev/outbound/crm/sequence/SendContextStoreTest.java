package dev.outbound.crm.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.outbound.crm.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The send context's one statement: what it adds to the step and the lead (the client's settings,
 * the lead's mailbox, the step's A/B variants) comes out as the separate reads it replaced gave it.
 */
@Tag("slow")
@SpringBootTest(classes = SequenceStoresTest.App.class)
class SendContextStoreTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
  }

  @Autowired JdbcClient jdbc;
  @Autowired SendContextStore contexts;

  Fixtures fx;
  long client;
  long mailbox;
  long campaign;

  @BeforeEach
  void data() {
    fx = new Fixtures(jdbc);
    client = fx.client("context-" + System.nanoTime());
    mailbox = fx.mailbox(client, "sales@acme.test");
    campaign = fx.campaign(client, "ACTIVE", mailbox);
    fx.step(client, campaign, 1, 0, "Hello {{firstName}}", "Body one");
    fx.step(client, campaign, 2, 86400, "", "Body two");
  }

  private long enrolment(String email) {
    return fx.enrolment(client, campaign, fx.lead(client, email, "{\"role\": \"CTO\"}"), "ACTIVE");
  }

  @Test
  void carriesTheLeadsMailboxOnceAssignedAndTheClientsSettings() {
    long enrolment = enrolment("ada@example.test");

    SendContext before = contexts.load(client, campaign, enrolment, 1).orElseThrow();
    assertThat(before.mailboxId()).isNull();
    assertThat(before.mailbox()).isNull();
    assertThat(before.client()).isEqualTo(new SendContext.Client(null, null));
    assertThat(before.lead().fields()).containsOnly(entry("role", "CTO"));

    contexts.assignMailbox(client, campaign, enrolment);
    jdbc.sql("update clients set postal_address = ' ', max_sends_per_day = 7 where id = :id")
        .param("id", client)
        .update();
    SendContext after = contexts.load(client, campaign, enrolment, 1).orElseThrow();
    assertThat(after.mailboxId()).isEqualTo(mailbox);
    assertThat(after.mailbox())
        .usingRecursiveComparison()
        .isEqualTo(contexts.mailbox(client, mailbox).orElseThrow());
    assertThat(after.client())
        .as("a blank address is none")
        .isEqualTo(new SendContext.Client(null, 7));

    jdbc.sql("update clients set postal_address = '1 Engine Way' where id = :id")
        .param("id", client)
        .update();
    assertThat(contexts.load(client, campaign, enrolment, 1).orElseThrow().client().postalAddress())
        .isEqualTo("1 Engine Way");
  }

  @Test
  void picksTheLeadsVariantOfTheStepAndOfStepOnesSubject() {
    for (int step : new int[] {1, 2}) {
      jdbc.sql(
              "insert into step_variants (client_id, campaign_id, step_index, variant, subject,"
                  + " body) values (:client, :campaign, :step, 'B', :subject, :body)")
          .param("client", client)
          .param("campaign", campaign)
          .param("step", step)
          .param("subject", step == 1 ? "Hi B" : "")
          .param("body", "Body " + step + " B")
          .update();
    }
    long first = enrolment("a@example.test");
    long second = enrolment("b@example.test");
    // Variants go by enrolment ID: A for an even one, B for an odd one.
    long even = first % 2 == 0 ? first : second;
    long odd = first % 2 == 0 ? second : first;

    SendContext a = contexts.load(client, campaign, even, 2).orElseThrow();
    SendContext b = contexts.load(client, campaign, odd, 2).orElseThrow();

    assertThat(a.variant()).isEqualTo("A");
    assertThat(a.body()).isEqualTo("Body two");
    assertThat(a.firstStepSubject()).isEqualTo("Hello {{firstName}}");
    assertThat(b.variant()).isEqualTo("B");
    assertThat(b.body()).isEqualTo("Body 2 B");
    assertThat(b.firstStepSubject()).isEqualTo("Hi B");
    assertThat(contexts.load(client, campaign, odd, 1).orElseThrow().subject()).isEqualTo("Hi B");
  }
}
