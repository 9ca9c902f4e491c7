package dev.outbound.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.outbound.api.imports.ImportTesting;
import dev.outbound.crm.admin.LeadStore.NewLead;
import dev.outbound.crm.imports.ImportFormat;
import dev.outbound.crm.imports.LeadImportStore;
import dev.outbound.crm.imports.StagedLead;
import dev.outbound.workflows.WorkflowIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/** Lead imports through the HTTP API, on embedded PostgreSQL and an in-process Temporal. */
class ImportApiTest extends ApiTestSupport {

  @Autowired LeadImportStore imports;
  @Autowired ApplicationContext context;

  @Test
  void importsASmallCsvAtOnceAndReportsEachRejectedRowWithItsLineColumnAndReason()
      throws Exception {
    long campaign = createCampaign(ACME);
    int run = unique();
    String csv =
        "\uFEFFemail,First Name,company,tz,country\r\n"
            + "ada%1$d@example.com,Ada,\"Acme, Inc.\",Europe/Berlin,de\r\n"
            + "\r\n"
            + "not-an-address,Bob,,,\r\n"
            + "grace%1$d@example.com,Grace,\"Navy\nYard\",,us\r\n"
            + "ADA%1$d@example.com,Ada again,,,\r\n"
            + "alan%1$d@example.com,Alan,,,XX\r\n";

    ResultActions result =
        postCsv(ACME, "/api/v1/campaigns/" + campaign + "/imports", csv.formatted(run))
            .andExpect(status().isCreated())
            .andExpect(header().string(HttpHeaders.LOCATION, startsWith("/api/v1/imports/")))
            .andExpect(jsonPath("$.status").value("DONE"))
            .andExpect(jsonPath("$.format").value("CSV"))
            .andExpect(jsonPath("$.rows").value(5))
            .andExpect(jsonPath("$.accepted").value(1))
            .andExpect(jsonPath("$.rejected").value(4))
            .andExpect(jsonPath("$.batches.committed[0]").value(1))
            .andExpect(jsonPath("$.rejections.total").value(4))
            .andExpect(jsonPath("$.rejections.items[0].row").value(4))
            .andExpect(jsonPath("$.rejections.items[0].field").value("email"))
            // A line break in a value that can reach a mail header is refused.
            .andExpect(jsonPath("$.rejections.items[1].row").value(5))
            .andExpect(jsonPath("$.rejections.items[1].field").value("company"))
            .andExpect(jsonPath("$.rejections.items[2].row").value(7))
            .andExpect(
                jsonPath("$.rejections.items[2].reason")
                    .value("duplicate: the same email address is on line 2"))
            .andExpect(jsonPath("$.rejections.items[3].row").value(8))
            .andExpect(jsonPath("$.rejections.items[3].field").value("country"));

    long lead = leadIds(campaign).get(0);
    get(ACME, "/api/v1/leads/" + lead)
        .andExpect(jsonPath("$.email").value("ada" + run + "@example.com"))
        .andExpect(jsonPath("$.company").value("Acme, Inc."))
        .andExpect(jsonPath("$.country").value("DE"))
        .andExpect(jsonPath("$.fields.tz").value("Europe/Berlin"));
    get(ACME, result.andReturn().getResponse().getHeader(HttpHeaders.LOCATION) + "?size=1&page=3")
        .andExpect(jsonPath("$.rejections.items.length()").value(1))
        .andExpect(jsonPath("$.rejections.items[0].row").value(8));
    assertThat(leadIds(campaign)).hasSize(1);
  }

  @Test
  void checksRowsAgainstTheSuppressionListTheCampaignAndTheClientsOtherRunningCampaigns()
      throws Exception {
    int run = unique();
    String running = "running" + run + "@example.com";
    String present = "present" + run + "@example.com";
    String suppressed = "gone" + run + "@example.com";
    long other = createCampaign(ACME);
    postJson(ACME, "/api/v1/campaigns/" + other + "/leads", "[{\"email\":\"" + running + "\"}]")
        .andExpect(status().isOk());
    post(ACME, "/api/v1/campaigns/" + other + "/start").andExpect(status().isAccepted());
    long campaign = createCampaign(ACME);
    postJson(ACME, "/api/v1/campaigns/" + campaign + "/leads", "[{\"email\":\"" + present + "\"}]")
        .andExpect(status().isOk());
    postJson(
            ACME,
            "/api/v1/suppressions",
            "{\"kind\":\"ADDRESS\",\"value\":\"" + suppressed + "\",\"reason\":\"MANUAL\"}")
        .andExpect(status().is2xxSuccessful());

    String csv =
        "email\n%s\n%s\n%s\nfresh%d@example.com\n".formatted(running, present, suppressed, run);
    postCsv(ACME, "/api/v1/campaigns/" + campaign + "/imports", csv)
        .andExpect(status().isCreated())
        .andExpect(jsonPath("$.accepted").value(1))
        .andExpect(jsonPath("$.rejections.items[0].row").value(2))
        .andExpect(
            jsonPath("$.rejections.items[0].reason")
                .value(startsWith("duplicate: active in campaign " + other + " as lead ")))
        .andExpect(jsonPath("$.rejections.items[1].row").value(3))
        .andExpect(
            jsonPath("$.rejections.items[1].reason")
                .value(startsWith("duplicate: already in this campaign")))
        .andExpect(jsonPath("$.rejections.items[2].row").value(4))
        .andExpect(jsonPath("$.rejections.items[2].reason").value("suppressed"));
  }

  @Test
  void importsIntoARunningCampaignAndAsksItToEnrolTheNewLeads() throws Exception {
    long campaign = createCampaign(ACME);
    addLeads(ACME, campaign, 1);
    post(ACME, "/api/v1/campaigns/" + campaign + "/start").andExpect(status().isAccepted());

    postJson(
            ACME,
            "/api/v1/campaigns/" + campaign + "/imports",
            "[{\"email\":\"json%d@example.com\",\"firstName\":\"Ada\"},{\"email\":\"x\"}]"
                .formatted(unique()))
        .andExpect(status().isCreated())
        .andExpect(jsonPath("$.format").value("JSON"))
        .andExpect(jsonPath("$.accepted").value(1))
        .andExpect(jsonPath("$.rejections.items[0].row").value(1))
        .andExpect(jsonPath("$.rejections.items[0].field").value("email"));

    assertThat(signals(WorkflowIds.campaign(campaign)))
        .containsExactly("enrolPending", "enrolPending");
  }

  @Test
  void answersALargeUpload202AndWritesItInTheBackgroundWhileTheClientPolls() throws Exception {
    long campaign = createCampaign(ACME);
    int run = unique();
    StringBuilder csv = new StringBuilder("email,first_name,role\n");
    for (int i = 0; i < 1500; i++) {
      csv.append("bulk").append(run).append('-').append(i).append("@example.com,Ada,CTO\n");
    }

    String location =
        postCsv(ACME, "/api/v1/campaigns/" + campaign + "/imports", csv.toString())
            .andExpect(status().isAccepted())
            .andExpect(jsonPath("$.rows").value(1500))
            .andReturn()
            .getResponse()
            .getHeader(HttpHeaders.LOCATION);

    String done = awaitFinished(ACME, location);
    assertThat((String) JsonPath.read(done, "$.status")).isEqualTo("DONE");
    assertThat((Integer) JsonPath.read(done, "$.accepted")).isEqualTo(1500);
    assertThat((List<Integer>) JsonPath.read(done, "$.batches.committed")).containsExactly(1);
    assertThat(leadIds(campaign)).hasSize(1500);
  }

  @Test
  void refusesTooManyRowsOrAMalformedUploadAndStoresNothing() throws Exception {
    long campaign = createCampaign(ACME);
    StringBuilder csv = new StringBuilder("email\n");
    for (int i = 0; i <= 100_000; i++) {
      csv.append('r').append(i).append("@x.io\n");
    }
    postCsv(ACME, "/api/v1/campaigns/" + campaign + "/imports", csv.toString())
        .andExpect(status().isContentTooLarge())
        .andExpect(jsonPath("$.maxRows").value(100_000))
        .andExpect(jsonPath("$.detail").value(containsString("more than 100000 rows")));
    postCsv(ACME, "/api/v1/campaigns/" + campaign + "/imports", "name,company\nAda,Acme\n")
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].field").value("header"));
    postCsv(ACME, "/api/v1/campaigns/" + campaign + "/imports", "email\n\"open\n")
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].message").value(containsString("line 2")));
    postJson(ACME, "/api/v1/campaigns/" + campaign + "/imports", "{\"email\":\"a@x.io\"}")
        .andExpect(status().isBadRequest());
    mvc.perform(
            MockMvcRequestBuilders.post("/api/v1/campaigns/" + campaign + "/imports")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ACME)
                .contentType("application/xml")
                .content("<leads/>"))
        .andExpect(status().isUnsupportedMediaType());

    assertThat(importsOf(campaign)).isZero();
    assertThat(leadIds(campaign)).isEmpty();
  }

  @Test
  void anotherClientsImportsAndCampaignsAnswer404AndChangeNothing() throws Exception {
    long campaign = createCampaign(ACME);
    String location =
        postCsv(ACME, "/api/v1/campaigns/" + campaign + "/imports", "email\nx@example.com\n")
            .andExpect(status().isCreated())
            .andReturn()
            .getResponse()
            .getHeader(HttpHeaders.LOCATION);

    get(GLOBEX, location).andExpect(status().isNotFound());
    post(GLOBEX, location + "/resume").andExpect(status().isNotFound());
    postCsv(GLOBEX, "/api/v1/campaigns/" + campaign + "/imports", "email\ny@example.com\n")
        .andExpect(status().isNotFound());
    postJson(GLOBEX, "/api/v1/campaigns/" + campaign + "/imports", "[{\"email\":\"y@x.io\"}]")
        .andExpect(status().isNotFound());

    assertThat(importsOf(campaign)).isEqualTo(1);
    assertThat(leadIds(campaign)).hasSize(1);
    get(ACME, location).andExpect(status().isOk());
  }

  @Test
  void aStoppedCampaignTakesNoImport() throws Exception {
    long campaign = createCampaign(ACME);
    post(ACME, "/api/v1/campaigns/" + campaign + "/stop").andExpect(status().is2xxSuccessful());

    postCsv(ACME, "/api/v1/campaigns/" + campaign + "/imports", "email\nx@example.com\n")
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.currentStatus").value("STOPPED"));
    assertThat(importsOf(campaign)).isZero();
  }

  @Test
  void aFailedBatchLeavesTheBatchesBeforeItWrittenAndTheImportResumes() throws Exception {
    long campaign = createCampaign(ACME);
    long client = acmeClientId();
    int run = unique();
    List<StagedLead> rows = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      rows.add(
          new StagedLead(
              i + 2,
              new NewLead(
                  "resume" + run + "-" + i + "@example.com", "Ada", null, null, null, Map.of())));
    }
    long id =
        imports.create(client, campaign, ImportFormat.CSV, 6, rows, List.of(), 2).orElseThrow();
    // A staged row the leads table refuses, as a database fault in batch 2 would.
    setStagedCountry(id, 3, "xx");

    ImportTesting.run(context, client, id);

    get(ACME, "/api/v1/imports/" + id)
        .andExpect(jsonPath("$.status").value("FAILED"))
        .andExpect(jsonPath("$.accepted").value(2))
        .andExpect(jsonPath("$.batches.total").value(3))
        .andExpect(jsonPath("$.batches.committed.length()").value(1))
        .andExpect(jsonPath("$.batches.committed[0]").value(1))
        .andExpect(jsonPath("$.error").value(startsWith("Batch 2 could not be written")));
    assertThat(leadIds(campaign)).hasSize(2);

    setStagedCountry(id, 3, "FR");
    post(ACME, "/api/v1/imports/" + id + "/resume").andExpect(status().isAccepted());
    String done = awaitFinished(ACME, "/api/v1/imports/" + id);

    assertThat((String) JsonPath.read(done, "$.status")).isEqualTo("DONE");
    assertThat((Integer) JsonPath.read(done, "$.accepted")).isEqualTo(6);
    assertThat((List<Integer>) JsonPath.read(done, "$.batches.committed")).containsExactly(1, 2, 3);
    assertThat(leadIds(campaign)).hasSize(6);
    post(ACME, "/api/v1/imports/" + id + "/resume")
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.currentStatus").value("DONE"));
  }

  @Test
  void resumesAnImportThatARestartLeftQueued() throws Exception {
    long campaign = createCampaign(ACME);
    long client = acmeClientId();
    int run = unique();
    List<StagedLead> rows = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      rows.add(
          new StagedLead(
              i,
              new NewLead(
                  "restart" + run + "-" + i + "@example.com", null, null, null, null, Map.of())));
    }
    long id =
        imports.create(client, campaign, ImportFormat.JSON, 5, rows, List.of(), 2).orElseThrow();

    ImportTesting.resumeUnfinished(context);

    String done = awaitFinished(ACME, "/api/v1/imports/" + id);
    assertThat((String) JsonPath.read(done, "$.status")).isEqualTo("DONE");
    assertThat(leadIds(campaign)).hasSize(5);
  }

  @Test
  void theLeadsEndpointRefusesWhatTheImportRejectsSinceBothUseTheSameRules() throws Exception {
    long campaign = createCampaign(ACME);
    String lead =
        "{\"email\":\"same%d@example.com\",\"fields\":{\"role\":\"CTO\\r\\nBcc: x@example.com\"}}"
            .formatted(unique());

    postJson(ACME, "/api/v1/campaigns/" + campaign + "/imports", "[" + lead + "]")
        .andExpect(status().isCreated())
        .andExpect(jsonPath("$.rejections.items[0].field").value("fields.role"))
        .andExpect(
            jsonPath("$.rejections.items[0].reason")
                .value(org.hamcrest.Matchers.containsString("CVE-2025-7962")));
    postJson(ACME, "/api/v1/campaigns/" + campaign + "/leads", "[" + lead + "]")
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].field").value("[0].fields.role"))
        .andExpect(
            jsonPath("$.errors[0].message")
                .value(org.hamcrest.Matchers.containsString("CVE-2025-7962")));
    assertThat(leadIds(campaign)).isEmpty();
  }

  @Test
  void theOpenApiDocumentDescribesBothUploadFormatsAndThePollingResource() throws Exception {
    mvc.perform(MockMvcRequestBuilders.get("/v3/api-docs"))
        .andExpect(status().isOk())
        .andExpect(
            jsonPath(
                    "$.paths['/api/v1/campaigns/{id}/imports'].post.requestBody.content['text/csv']")
                .exists())
        .andExpect(
            jsonPath(
                    "$.paths['/api/v1/campaigns/{id}/imports'].post.requestBody.content['application/json']")
                .exists())
        .andExpect(jsonPath("$.paths['/api/v1/imports/{id}'].get").exists())
        .andExpect(jsonPath("$.paths['/api/v1/imports/{id}/resume'].post").exists());
  }

  private ResultActions postCsv(String key, String path, String csv) throws Exception {
    return mvc.perform(
        MockMvcRequestBuilders.post(path)
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
            .contentType("text/csv")
            .content(csv.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  /**
   * Polls an import until it is done or failed. The deadline only keeps a broken runner from
   * hanging the build; nothing is asserted about how long the import took.
   */
  String awaitFinished(String key, String location) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
    while (true) {
      String body = get(key, location).andReturn().getResponse().getContentAsString();
      String status = JsonPath.read(body, "$.status");
      if (status.equals("DONE") || status.equals("FAILED")) {
        return body;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("import still " + status + ": " + body);
      }
      Thread.sleep(20);
    }
  }

  private long acmeClientId() {
    return clients.ensureClient("acme", "Acme");
  }

  private long importsOf(long campaign) {
    return jdbc.sql("select count(*) from lead_imports where campaign_id = :c")
        .param("c", campaign)
        .query(Long.class)
        .single();
  }

  private void setStagedCountry(long importId, int rowNo, String country) {
    jdbc.sql(
            "update lead_import_rows set country = :country where import_id = :id and row_no = :row")
        .param("country", country)
        .param("id", importId)
        .param("row", rowNo)
        .update();
  }
}
