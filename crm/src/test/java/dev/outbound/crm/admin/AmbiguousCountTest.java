package dev.outbound.crm.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbound.crm.CrmConfiguration;
import dev.outbound.crm.testing.CrmFixtures;
import dev.outbound.crm.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(classes = AmbiguousCountTest.App.class)
@Tag("slow")
class AmbiguousCountTest {

  @SpringBootApplication
  @Import(CrmConfiguration.class)
  static class App {}

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
  }

  @Autowired CampaignCountStore campaigns;
  @Autowired JdbcClient jdbc;

  @Test
  void countsAmbiguousSendsOfTheCampaignOnlyAndOfItsClientOnly() {
    CrmFixtures data = new CrmFixtures(jdbc);
    long acme = data.client("acme-ambiguous");
    long mailbox = mailbox(acme);
    long campaign = data.campaign(acme, "ACTIVE", mailbox);
    long other = data.campaign(acme, "ACTIVE", mailbox);
    long first = data.enrolment(acme, campaign, data.person(acme, "a@x.test"), "ACTIVE");
    long second = data.enrolment(acme, campaign, data.person(acme, "b@x.test"), "ACTIVE");
    long elsewhere = data.enrolment(acme, other, data.person(acme, "c@x.test"), "ACTIVE");
    ledger(acme, campaign, first, 1, mailbox, "AMBIGUOUS");
    ledger(acme, campaign, first, 2, mailbox, "SENT");
    ledger(acme, campaign, second, 1, mailbox, "AMBIGUOUS");
    ledger(acme, other, elsewhere, 1, mailbox, "AMBIGUOUS");

    CampaignCounts counts = campaigns.counts(acme, campaign);

    assertThat(counts.ambiguous()).isEqualTo(2);
    assertThat(counts.leads()).isEqualTo(2);
    assertThat(campaigns.counts(data.client("globex-ambiguous"), campaign).ambiguous()).isZero();
  }

  private long mailbox(long client) {
    return jdbc.sql(
            "insert into mailboxes (client_id, email, display_name, smtp_host, smtp_port, smtp_tls,"
                + " daily_cap, min_gap_seconds) values (:client, 'sales@x.test', 'Sales',"
                + " 'localhost', 25, false, 100, 0) returning id")
        .param("client", client)
        .query(Long.class)
        .single();
  }

  private void ledger(
      long client, long campaign, long lead, int step, long mailbox, String status) {
    jdbc.sql(
            "insert into send_ledger (client_id, campaign_id, enrolment_id, step_index, mailbox_id,"
                + " message_id, status) values (:client, :campaign, :lead, :step, :mailbox,"
                + " :messageId, :status)")
        .param("client", client)
        .param("campaign", campaign)
        .param("lead", lead)
        .param("step", step)
        .param("mailbox", mailbox)
        .param("messageId", "<t.c" + campaign + ".l" + lead + ".s" + step + "@x.test>")
        .param("status", status)
        .update();
  }
}
