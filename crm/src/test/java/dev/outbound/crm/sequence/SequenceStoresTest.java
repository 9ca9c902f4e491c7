package dev.outbound.crm.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.outbound.crm.TimelineStore;
import dev.outbound.crm.testing.TestDatabase;
import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.vocabulary.timeline.TimelineEvent;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/** The sequence stores against a real PostgreSQL (embedded), including their client scoping. */
@SpringBootTest(classes = SequenceStoresTest.App.class)
@Tag("slow")
class SequenceStoresTest {

  @SpringBootApplication(scanBasePackages = "dev.outbound.crm")
  static class App {}

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
  }

  @Autowired JdbcClient jdbc;
  @Autowired SendContextStore contexts;
  @Autowired SendLedgerStore ledger;
  @Autowired EnrolmentStore enrolments;
  @Autowired TimelineStore timeline;
  @Autowired TransactionTemplate transactions;

  Fixtures fx;
  long client;
  long otherClient;
  long mailbox;
  long campaign;
  long lead;
  long enrolment;

  @BeforeEach
  void data() {
    fx = new Fixtures(jdbc);
    String suffix = Long.toString(System.nanoTime());
    client = fx.client("acme-" + suffix);
    otherClient = fx.client("other-" + suffix);
    mailbox = fx.mailbox(client, "sales@acme.test");
    campaign = fx.campaign(client, "ACTIVE", mailbox);
    fx.step(client, campaign, 1, 0, "Hello {{firstName}}", "Body one");
    fx.step(client, campaign, 2, 86400, "", "Body two");
    lead = fx.lead(client, "ada@example.test", "{\"role\": \"CTO\", \"size\": 12, \"none\": null}");
    enrolment = fx.enrolment(client, campaign, lead, "PENDING");
  }

  /** Message-IDs are unique across the table, so each test's are built from its own enrolment. */
  private String id(int step) {
    return "<test.l" + enrolment + ".s" + step + "@acme.test>";
  }

  @Test
  void loadsTheSendContextWithLeadFieldsAsText() {
    SendContext context = contexts.load(client, campaign, enrolment, 2).orElseThrow();

    assertThat(context.enrolmentStatus()).isEqualTo("PENDING");
    assertThat(context.campaignStatus()).isEqualTo("ACTIVE");
    assertThat(context.mailboxId()).isNull();
    assertThat(context.subject()).isEmpty();
    assertThat(context.body()).isEqualTo("Body two");
    assertThat(context.firstStepSubject()).isEqualTo("Hello {{firstName}}");
    assertThat(context.lead().email()).isEqualTo("ada@example.test");
    assertThat(context.lead().firstName()).isEqualTo("Ada");
    assertThat(context.lead().fields()).containsOnly(entry("role", "CTO"), entry("size", "12"));
    assertThat(context.toString()).doesNotContain("ada@example.test").doesNotContain("Ada");
  }

  @Test
  void findsNoSendContextForAnotherClientsIdsOrAMissingStep() {
    assertThat(contexts.load(otherClient, campaign, enrolment, 1)).isEmpty();
    assertThat(contexts.load(client, campaign, enrolment, 3)).isEmpty();
    assertThat(contexts.mailbox(otherClient, mailbox)).isEmpty();
    assertThat(contexts.mailbox(client, mailbox)).isPresent();
    assertThat(enrolments.status(otherClient, campaign, enrolment)).isEmpty();
  }

  @Test
  void assignsTheLeastAssignedMailboxOfThePoolAndKeepsIt() {
    long second = fx.mailbox(client, "second@acme.test");
    long pooled = fx.campaign(client, "ACTIVE", mailbox, second);
    long first = fx.enrolment(client, pooled, fx.lead(client, "b@example.test", "{}"), "ACTIVE");
    long next = fx.enrolment(client, pooled, fx.lead(client, "c@example.test", "{}"), "ACTIVE");

    assertThat(contexts.assignMailbox(client, pooled, first)).contains(mailbox);
    assertThat(contexts.assignMailbox(client, pooled, next)).contains(second);
    // Sticky: asking again keeps the first choice even though the pool is now balanced.
    assertThat(contexts.assignMailbox(client, pooled, first)).contains(mailbox);
    assertThat(contexts.assignMailbox(otherClient, pooled, first)).isEmpty();
  }

  @Test
  void findsNoMailboxWhenThePoolIsEmpty() {
    long bare = fx.campaign(client, "ACTIVE");
    long alone = fx.enrolment(client, bare, lead, "ACTIVE");

    assertThat(contexts.assignMailbox(client, bare, alone)).isEmpty();
  }

  @Test
  void claimsAStepOnceAndLetsTheDatabaseDecideTheRace() {
    OptionalLong claim = ledger.claim(client, campaign, enrolment, 1, mailbox, id(1));
    assertThat(claim).isPresent();
    assertThat(ledger.claim(client, campaign, enrolment, 1, mailbox, id(1))).isEmpty();
    assertThat(ledger.claim(otherClient, campaign, enrolment, 2, mailbox, id(2))).isEmpty();

    assertThat(ledger.find(client, campaign, enrolment, 1))
        .hasValueSatisfying(
            e -> {
              assertThat(e.status()).isEqualTo(LedgerStatus.SENDING);
              assertThat(e.claimId()).isEqualTo(claim.getAsLong());
              assertThat(e.contentStarted()).isFalse();
            });
    assertThat(ledger.find(otherClient, campaign, enrolment, 1)).isEmpty();
    assertThat(ledger.find(client, campaign, enrolment, 2)).isEmpty();
  }

  @Test
  void claimsNothingForAStoppedLeadOrACampaignThatIsNotActive() {
    for (String status : List.of("PAUSED", "STOPPED", "DRAFT")) {
      fx.campaignStatus(campaign, status);
      assertThat(ledger.claim(client, campaign, enrolment, 1, mailbox, id(1))).as(status).isEmpty();
    }
    fx.campaignStatus(campaign, "ACTIVE");
    for (String status : LeadStatus.names(LeadStatus.TERMINAL)) {
      fx.enrolmentStatus(enrolment, status);
      assertThat(ledger.claim(client, campaign, enrolment, 1, mailbox, id(1))).as(status).isEmpty();
    }
    assertThat(ledger.find(client, campaign, enrolment, 1)).isEmpty();

    // A paused or held lead is not stopped: the workflow decides whether it sends.
    for (String status : List.of("PAUSED", "HELD")) {
      fx.enrolmentStatus(enrolment, status);
      OptionalLong claim = ledger.claim(client, campaign, enrolment, 1, mailbox, id(1));
      assertThat(claim).as(status).isPresent();
      ledger.release(client, claim.getAsLong());
    }
  }

  @Test
  void releasesOnlyAnUnfinishedClaim() {
    long claim = ledger.claim(client, campaign, enrolment, 1, mailbox, id(1)).orElseThrow();
    assertThat(ledger.release(otherClient, claim)).isFalse();
    assertThat(ledger.release(client, claim)).isTrue();
    assertThat(ledger.find(client, campaign, enrolment, 1)).isEmpty();

    long again = ledger.claim(client, campaign, enrolment, 1, mailbox, id(1)).orElseThrow();
    ledger.recordSent(client, campaign, enrolment, 1, "SENT step 1", "mailbox " + mailbox);
    assertThat(ledger.release(client, again)).isFalse();
    assertThat(ledger.find(client, campaign, enrolment, 1).orElseThrow().status())
        .isEqualTo(LedgerStatus.SENT);
  }

  @Test
  void aLateReleaseOfAnEarlierClaimLeavesTheNewClaimAlone() {
    long first = ledger.claim(client, campaign, enrolment, 1, mailbox, id(1)).orElseThrow();
    assertThat(ledger.releaseUnstarted(client, campaign, enrolment, 1)).isTrue();
    long second = ledger.claim(client, campaign, enrolment, 1, mailbox, id(1)).orElseThrow();

    assertThat(ledger.release(client, first)).isFalse();
    assertThat(ledger.markContentStarted(client, first)).isFalse();
    assertThat(ledger.find(client, campaign, enrolment, 1).orElseThrow().claimId())
        .isEqualTo(second);
  }

  @Test
  void freesAClaimForAnotherSendOnlyWhileItsContentHasNotStarted() {
    long claim = ledger.claim(client, campaign, enrolment, 1, mailbox, id(1)).orElseThrow();
    assertThat(ledger.releaseUnstarted(otherClient, campaign, enrolment, 1)).isFalse();
    assertThat(ledger.markContentStarted(otherClient, claim)).isFalse();

    assertThat(ledger.markContentStarted(client, claim)).isTrue();
    assertThat(ledger.releaseUnstarted(client, campaign, enrolment, 1)).isFalse();
    assertThat(ledger.find(client, campaign, enrolment, 1).orElseThrow().contentStarted()).isTrue();

    // A row written without the flag (before V2, or by an older worker) counts as started.
    jdbc.sql(
            "insert into send_ledger (client_id, campaign_id, enrolment_id, step_index, mailbox_id,"
                + " message_id, status) values (:client, :campaign, :lead, 2, :mailbox, :id,"
                + " 'SENDING')")
        .param("client", client)
        .param("campaign", campaign)
        .param("lead", enrolment)
        .param("mailbox", mailbox)
        .param("id", id(2))
        .update();
    assertThat(ledger.releaseUnstarted(client, campaign, enrolment, 2)).isFalse();
    assertThat(ledger.find(client, campaign, enrolment, 2).orElseThrow().contentStarted()).isTrue();
  }

  @Test
  void countsAMailboxsOpenEnrolmentsFromThePartialIndex() {
    String count =
        "explain "
            + SendContextStore.OPEN_ENROLMENTS_OF_MAILBOX.replace("cm.mailbox_id", ":mailbox");
    List<String> plan =
        transactions.execute(
            tx -> {
              jdbc.sql("set local enable_seqscan = off").update();
              return jdbc.sql(count)
                  .param("client", client)
                  .param("mailbox", mailbox)
                  .query(String.class)
                  .list();
            });

    assertThat(String.join("\n", plan)).contains("enrolments_open_by_mailbox");
  }

  @Test
  void recordsASendInTheLedgerTheEnrolmentAndTheTimeline() {
    ledger.claim(client, campaign, enrolment, 1, mailbox, id(1));

    assertThat(ledger.recordSent(client, campaign, enrolment, 1, "SENT step 1", "detail")).isTrue();
    assertThat(ledger.recordSent(client, campaign, enrolment, 1, "SENT step 1", "detail"))
        .isFalse();

    assertThat(ledger.find(client, campaign, enrolment, 1).orElseThrow().status())
        .isEqualTo(LedgerStatus.SENT);
    assertThat(
            jdbc.sql("select current_step from enrolments where id = :id")
                .param("id", enrolment)
                .query(Integer.class)
                .single())
        .isEqualTo(1);
    assertThat(fx.events(enrolment, "SENT")).isEqualTo(1);
  }

  @Test
  void flagsAnUnfinishedClaimAmbiguousOnce() {
    ledger.claim(client, campaign, enrolment, 1, mailbox, id(1));

    assertThat(ledger.markAmbiguous(client, campaign, enrolment, 1, "why")).isTrue();
    assertThat(ledger.markAmbiguous(client, campaign, enrolment, 1, "why")).isFalse();
    assertThat(ledger.find(client, campaign, enrolment, 1).orElseThrow().status())
        .isEqualTo(LedgerStatus.AMBIGUOUS);
  }

  @Test
  void countsSentAndAmbiguousStepsAsGoneOutButNotClaimedOrFailedOnes() {
    ledger.claim(client, campaign, enrolment, 1, mailbox, id(1));
    assertThat(ledger.lastSentStep(client, campaign, enrolment)).isZero();

    ledger.recordSent(client, campaign, enrolment, 1, "SENT step 1", "d");
    ledger.claim(client, campaign, enrolment, 2, mailbox, id(2));
    ledger.markAmbiguous(client, campaign, enrolment, 2, "why");
    ledger.claim(client, campaign, enrolment, 3, mailbox, id(3));
    ledger.markFailed(client, campaign, enrolment, 3, "SMTP_PERMANENT: reply 550");

    assertThat(ledger.lastSentStep(client, campaign, enrolment)).isEqualTo(2);
    assertThat(ledger.lastSentStep(otherClient, campaign, enrolment)).isZero();
    assertThat(ledger.earlierMessageIds(client, campaign, enrolment, 3))
        .containsExactly(id(1), id(2));
    assertThat(ledger.find(client, campaign, enrolment, 3).orElseThrow().error())
        .isEqualTo("SMTP_PERMANENT: reply 550");
  }

  @Test
  void neverOverwritesATerminalStatusAndTheFirstTerminalStatusWins() {
    assertThat(
            enrolments.recordProgress(client, campaign, enrolment, "ACTIVE", 1, Instant.now(), "x"))
        .isTrue();
    assertThat(
            enrolments.recordProgress(client, campaign, enrolment, "REPLIED", 1, null, "replied"))
        .isTrue();
    assertThat(enrolments.recordProgress(client, campaign, enrolment, "PAUSED", 1, null, "late"))
        .isFalse();
    assertThat(enrolments.recordProgress(client, campaign, enrolment, "STOPPED", 1, null, "late"))
        .isFalse();
    assertThat(enrolments.markActive(client, campaign, enrolment)).isFalse();

    assertThat(fx.status(enrolment)).isEqualTo("REPLIED");
  }

  @Test
  void updatesNothingForAnotherClient() {
    assertThat(enrolments.recordProgress(otherClient, campaign, enrolment, "ACTIVE", 1, null, "x"))
        .isFalse();
    assertThat(enrolments.markActive(otherClient, campaign, enrolment)).isFalse();
    assertThat(enrolments.markStarted(otherClient, campaign, enrolment)).isFalse();
    assertThat(timeline.appendUnlessRepeated(otherClient, enrolment, TimelineEvent.PAUSED, 0, null))
        .isFalse();

    assertThat(fx.status(enrolment)).isEqualTo("PENDING");
  }

  @Test
  void skipsATimelineEventThatRepeatsTheLatestOne() {
    assertThat(timeline.appendUnlessRepeated(client, enrolment, TimelineEvent.PAUSED, 1, "paused"))
        .isTrue();
    assertThat(timeline.appendUnlessRepeated(client, enrolment, TimelineEvent.PAUSED, 1, "paused"))
        .isFalse();
    assertThat(timeline.appendUnlessRepeated(client, enrolment, TimelineEvent.RESUMED, 1, null))
        .isTrue();
    assertThat(timeline.appendUnlessRepeated(client, enrolment, TimelineEvent.RESUMED, 1, null))
        .isFalse();
    assertThat(timeline.appendUnlessRepeated(client, enrolment, TimelineEvent.PAUSED, 1, "paused"))
        .isTrue();

    assertThat(fx.events(enrolment, "PAUSED")).isEqualTo(2);
  }

  @Test
  void pagesPendingEnrolmentsByIdAndForgetsStartedOnes() {
    long second =
        fx.enrolment(client, campaign, fx.lead(client, "b@example.test", "{}"), "PENDING");
    long third = fx.enrolment(client, campaign, fx.lead(client, "c@example.test", "{}"), "PENDING");

    assertThat(enrolments.pending(client, campaign, 0, 2)).containsExactly(enrolment, second);
    assertThat(enrolments.pending(client, campaign, second, 2)).containsExactly(third);
    assertThat(enrolments.pending(otherClient, campaign, 0, 10)).isEmpty();

    enrolments.markStarted(client, campaign, enrolment);
    assertThat(enrolments.pending(client, campaign, 0, 10)).containsExactly(second, third);
  }

  @Test
  void stopsPendingEnrolmentsOfAStoppedCampaignButKeepsTerminalStatuses() {
    long replied =
        fx.enrolment(client, campaign, fx.lead(client, "b@example.test", "{}"), "REPLIED");
    long third = fx.enrolment(client, campaign, fx.lead(client, "c@example.test", "{}"), "PENDING");

    assertThat(enrolments.stopPending(client, campaign, 2, "campaign stopped"))
        .containsExactly(enrolment, replied);
    assertThat(enrolments.stopPending(client, campaign, 2, "campaign stopped"))
        .containsExactly(third);
    assertThat(enrolments.stopPending(client, campaign, 2, "campaign stopped")).isEmpty();
    assertThat(enrolments.stopPending(otherClient, campaign, 2, "x")).isEmpty();

    assertThat(fx.status(enrolment)).isEqualTo("STOPPED");
    assertThat(fx.status(replied)).isEqualTo("REPLIED");
    assertThat(fx.events(enrolment, "STOPPED")).isEqualTo(1);
    assertThat(fx.events(replied, "STOPPED")).isZero();
    assertThat(enrolments.pending(client, campaign, 0, 10)).isEmpty();
  }

  @Test
  void selectsRunningUnfinishedSequencesForSignals() {
    long finished =
        fx.enrolment(client, campaign, fx.lead(client, "b@example.test", "{}"), "COMPLETED");
    long running =
        fx.enrolment(client, campaign, fx.lead(client, "c@example.test", "{}"), "ACTIVE");
    long paused = fx.enrolment(client, campaign, fx.lead(client, "d@example.test", "{}"), "PAUSED");
    fx.start(client, finished);
    fx.start(client, running);
    fx.start(client, paused);

    assertThat(enrolments.running(client, campaign, 0, 10)).containsExactly(running, paused);
    assertThat(enrolments.running(client, campaign, running, 10)).containsExactly(paused);
    assertThat(enrolments.running(client, campaign, 0, 1)).containsExactly(running);
    assertThat(enrolments.running(otherClient, campaign, 0, 10)).isEmpty();
  }

  @Test
  void listsTheCampaignsStepsInOrder() {
    assertThat(enrolments.steps(client, campaign))
        .containsExactly(new StepDelay(1, 0), new StepDelay(2, 86400));
    assertThat(enrolments.steps(otherClient, campaign)).isEmpty();
  }
}
