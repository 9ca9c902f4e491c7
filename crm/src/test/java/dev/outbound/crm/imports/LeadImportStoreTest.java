package dev.outbound.crm.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outbound.crm.ClientStore;
import dev.outbound.crm.CrmConfiguration;
import dev.outbound.crm.admin.CampaignStateException;
import dev.outbound.crm.admin.LeadStore.NewLead;
import dev.outbound.crm.suppression.SuppressionStore;
import dev.outbound.crm.testing.CrmFixtures;
import dev.outbound.crm.testing.TestDatabase;
import dev.outbound.vocabulary.status.CampaignStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
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

/** Lead imports on a real PostgreSQL: staging, batches written all-or-nothing, and their rules. */
@SpringBootTest(classes = LeadImportStoreTest.App.class)
@Tag("slow")
class LeadImportStoreTest {

  @SpringBootApplication
  @Import(CrmConfiguration.class)
  static class App {}

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
  }

  private static final AtomicInteger SEQ = new AtomicInteger();

  @Autowired ClientStore clients;
  @Autowired LeadImportStore imports;
  @Autowired ImportBatchStore batches;
  @Autowired ImportRejectionStore rejections;
  @Autowired SuppressionStore suppressions;
  @Autowired JdbcClient jdbc;

  CrmFixtures fixtures;
  long acme;
  long globex;

  @BeforeEach
  void clients() {
    fixtures = new CrmFixtures(jdbc);
    acme = clients.ensureClient("acme", "Acme");
    globex = clients.ensureClient("globex", "Globex");
  }

  @Test
  void writesEveryBatchOnceAndCountsWhatEachDid() {
    long campaign = fixtures.campaign(acme, "DRAFT");
    List<StagedLead> rows = rows(5, 2);
    long id =
        imports
            .create(
                acme,
                campaign,
                ImportFormat.CSV,
                6,
                rows,
                List.of(new RowRejection(7, "timezone", "is not a known time zone")),
                2)
            .orElseThrow();

    ImportSummary queued = imports.find(acme, id).orElseThrow();
    assertThat(queued.status()).isEqualTo(ImportStatus.QUEUED);
    assertThat(queued.batchCount()).isEqualTo(3);
    assertThat(queued.rejected()).isEqualTo(1);
    assertThat(imports.start(acme, id)).isTrue();
    assertThat(imports.pendingBatches(acme, id)).containsExactly(1, 2, 3);

    for (int batch : imports.pendingBatches(acme, id)) {
      BatchResult result = batches.commitBatch(acme, id, batch, true);
      assertThat(result.written()).isTrue();
      assertThat(result.campaignStatus()).isEqualTo(CampaignStatus.DRAFT);
    }
    // A second run of a written batch does nothing: no error, no second insert.
    BatchResult again = batches.commitBatch(acme, id, 2, true);
    assertThat(again.written()).isFalse();
    assertThat(imports.finish(acme, id, null)).isTrue();

    ImportSummary done = imports.find(acme, id).orElseThrow();
    assertThat(done.status()).isEqualTo(ImportStatus.DONE);
    assertThat(done.accepted()).isEqualTo(5);
    assertThat(done.rejected()).isEqualTo(1);
    assertThat(done.committedBatches()).containsExactly(1, 2, 3);
    assertThat(enrolled(campaign)).isEqualTo(5);
    assertThat(stagedRows(id)).isZero();
    assertThat(rejections.list(acme, id, 0, 10).items())
        .containsExactly(new RowRejection(7, "timezone", "is not a known time zone"));
  }

  @Test
  void aFailingBatchWritesNothingAndTheImportResumesWithoutDuplicates() {
    long campaign = fixtures.campaign(acme, "DRAFT");
    List<StagedLead> rows = rows(6, 2);
    long id = imports.create(acme, campaign, ImportFormat.CSV, 6, rows, List.of(), 2).orElseThrow();
    imports.start(acme, id);
    batches.commitBatch(acme, id, 1, true);
    // Corrupt the second row of batch 2 behind the import's back: the leads table's check refuses
    // it, and the batch's valid first row must not be written either.
    jdbc.sql("update lead_import_rows set country = 'xx' where import_id = :id and row_no = 3")
        .param("id", id)
        .update();

    assertThatThrownBy(() -> batches.commitBatch(acme, id, 2, true))
        .isInstanceOf(DataIntegrityViolationException.class);

    assertThat(imports.find(acme, id).orElseThrow().committedBatches()).containsExactly(1);
    assertThat(emails(campaign)).containsExactly(email(rows, 0), email(rows, 1));
    assertThat(imports.find(acme, id).orElseThrow().accepted()).isEqualTo(2);
    assertThat(imports.finish(acme, id, null)).as("batches are left").isFalse();
    imports.fail(acme, id, "batch 2 failed");
    assertThat(imports.unfinished()).doesNotContain(new LeadImportStore.ImportRef(acme, id));

    jdbc.sql("update lead_import_rows set country = 'DE' where import_id = :id and row_no = 3")
        .param("id", id)
        .update();
    assertThat(imports.requeue(acme, id)).isTrue();
    assertThat(imports.unfinished()).contains(new LeadImportStore.ImportRef(acme, id));
    assertThat(imports.start(acme, id)).isTrue();
    assertThat(imports.pendingBatches(acme, id)).containsExactly(2, 3);
    for (int batch : List.of(1, 2, 3)) {
      batches.commitBatch(acme, id, batch, true);
    }
    assertThat(imports.finish(acme, id, null)).isTrue();

    assertThat(emails(campaign)).hasSize(6).doesNotHaveDuplicates();
    ImportSummary done = imports.find(acme, id).orElseThrow();
    assertThat(done.accepted()).isEqualTo(6);
    assertThat(done.committedBatches()).containsExactly(1, 2, 3);
    assertThat(done.error()).isNull();
  }

  @Test
  void rejectsSuppressedRowsAndRowsAlreadyInThisCampaignWhenTheBatchIsWritten() {
    long campaign = fixtures.campaign(acme, "DRAFT");
    int run = SEQ.incrementAndGet();
    String suppressed = "gone" + run + "@example.com";
    String present = "here" + run + "@example.com";
    suppressions.add(
        acme, SuppressionStore.Kind.ADDRESS, suppressed, SuppressionStore.Reason.MANUAL, "test");
    long first =
        imports
            .create(acme, campaign, ImportFormat.CSV, 1, List.of(row(2, present)), List.of(), 10)
            .orElseThrow();
    batches.commitBatch(acme, first, 1, true);

    long id =
        imports
            .create(
                acme,
                campaign,
                ImportFormat.CSV,
                3,
                List.of(
                    row(2, suppressed),
                    row(3, present.toUpperCase()),
                    row(5, "new" + run + "@example.com")),
                List.of(),
                10)
            .orElseThrow();
    BatchResult result = batches.commitBatch(acme, id, 1, true);

    assertThat(result.accepted()).isEqualTo(1);
    assertThat(result.rejected()).isEqualTo(2);
    List<RowRejection> rejected = rejections.list(acme, id, 0, 10).items();
    assertThat(rejected).extracting(RowRejection::position).containsExactly(2, 3);
    assertThat(rejected.get(0).reason()).isEqualTo("suppressed");
    assertThat(rejected.get(1).reason()).startsWith("duplicate: already in this campaign as lead ");
  }

  @Test
  void rejectsPeopleRunningInAnotherActiveCampaignUnlessTurnedOff() {
    int run = SEQ.incrementAndGet();
    long other = fixtures.campaign(acme, "ACTIVE");
    long stopped = fixtures.campaign(acme, "STOPPED");
    String busy = "busy" + run + "@example.com";
    String finished = "finished" + run + "@example.com";
    String parked = "parked" + run + "@example.com";
    fixtures.enrolment(acme, other, fixtures.person(acme, busy), "ACTIVE");
    fixtures.enrolment(acme, other, fixtures.person(acme, finished), "COMPLETED");
    fixtures.enrolment(acme, stopped, fixtures.person(acme, parked), "PENDING");

    long campaign = fixtures.campaign(acme, "DRAFT");
    List<StagedLead> rows = List.of(row(2, busy), row(3, finished), row(4, parked));
    long strict =
        imports.create(acme, campaign, ImportFormat.JSON, 3, rows, List.of(), 10).orElseThrow();
    batches.commitBatch(acme, strict, 1, true);

    assertThat(rejections.list(acme, strict, 0, 10).items())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.position()).isEqualTo(2);
              assertThat(r.reason()).startsWith("duplicate: active in campaign " + other + " as");
            });

    long relaxedCampaign = fixtures.campaign(acme, "DRAFT");
    long relaxed =
        imports
            .create(acme, relaxedCampaign, ImportFormat.JSON, 3, rows, List.of(), 10)
            .orElseThrow();
    assertThat(batches.commitBatch(acme, relaxed, 1, false).accepted()).isEqualTo(3);
  }

  @Test
  void anotherClientsImportsAndCampaignsReadAsAbsent() {
    long campaign = fixtures.campaign(acme, "DRAFT");
    long id =
        imports.create(acme, campaign, ImportFormat.CSV, 2, rows(2, 2), List.of(), 5).orElseThrow();

    assertThat(imports.find(globex, id)).isEmpty();
    assertThat(rejections.list(globex, id, 0, 10).total()).isZero();
    assertThat(imports.start(globex, id)).isFalse();
    assertThat(imports.pendingBatches(globex, id)).isEmpty();
    assertThatThrownBy(() -> batches.commitBatch(globex, id, 1, true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(imports.fail(globex, id, "no")).isFalse();
    assertThat(imports.create(globex, campaign, ImportFormat.CSV, 2, rows(2, 2), List.of(), 5))
        .isEmpty();
    assertThat(enrolled(campaign)).isZero();
  }

  @Test
  void aStoppedCampaignTakesNoImportAndNoFurtherBatch() {
    long stopped = fixtures.campaign(acme, "STOPPED");
    assertThatThrownBy(
            () -> imports.create(acme, stopped, ImportFormat.CSV, 1, rows(1, 2), List.of(), 5))
        .isInstanceOf(CampaignStateException.class);

    long campaign = fixtures.campaign(acme, "ACTIVE");
    long id =
        imports.create(acme, campaign, ImportFormat.CSV, 4, rows(4, 2), List.of(), 2).orElseThrow();
    batches.commitBatch(acme, id, 1, true);
    fixtures.campaignStatus(campaign, "STOPPED");

    assertThatThrownBy(() -> batches.commitBatch(acme, id, 2, true))
        .isInstanceOf(CampaignStateException.class);
    assertThat(enrolled(campaign)).isEqualTo(2);
    assertThat(imports.find(acme, id).orElseThrow().committedBatches()).containsExactly(1);
  }

  private List<StagedLead> rows(int count, int firstLine) {
    int run = SEQ.incrementAndGet();
    List<StagedLead> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(
          new StagedLead(
              firstLine + i,
              new NewLead(
                  "import" + run + "-" + i + "@example.com",
                  "Ada",
                  null,
                  "Acme",
                  "Europe/Berlin",
                  "DE",
                  Map.of("role", "CTO", "source", "fair"))));
    }
    return rows;
  }

  private static StagedLead row(int position, String email) {
    return new StagedLead(position, new NewLead(email, null, null, null, null, Map.of()));
  }

  private static String email(List<StagedLead> rows, int index) {
    return rows.get(index).lead().email();
  }

  private long enrolled(long campaign) {
    return jdbc.sql("select count(*) from enrolments where campaign_id = :c")
        .param("c", campaign)
        .query(Long.class)
        .single();
  }

  private List<String> emails(long campaign) {
    return jdbc.sql(
            "select l.email from enrolments e join leads l on l.id = e.lead_id"
                + " where e.campaign_id = :c order by l.email")
        .param("c", campaign)
        .query(String.class)
        .list();
  }

  private long stagedRows(long importId) {
    return jdbc.sql("select count(*) from lead_import_rows where import_id = :id")
        .param("id", importId)
        .query(Long.class)
        .single();
  }
}
