package dev.outbound.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/** Send windows, the per-domain limit and A/B variants of a campaign, through the API. */
class CampaignDeliverabilityApiTest extends ApiTestSupport {

  private long count(String table) {
    return jdbc.sql("select count(*) from " + table).query(Long.class).single();
  }

  /** A campaign body with one mailbox, {@code extra} top-level members and the given steps. */
  private static String campaign(long mailbox, String extra, String steps) {
    return """
        {"name": "Deliverability", "timezone": "Europe/Berlin", "mailboxIds": [%d], %s
         "steps": %s}
        """
        .formatted(mailbox, extra.isEmpty() ? "" : extra + ",", steps);
  }

  private static final String ONE_STEP =
      "[{\"delay\": \"PT0S\", \"subject\": \"Hi\", \"body\": \"Hello\"}]";

  @Test
  void aCampaignWithAWindowALimitAndVariantsShowsThemBack() throws Exception {
    long mailbox = createMailbox(ACME);
    long id =
        id(
            postJson(
                    ACME,
                    "/api/v1/campaigns",
                    campaign(
                        mailbox,
                        """
                        "sendWindow": {"days": ["fri", "MON", "Wed"], "start": "09:00",
                                       "end": "17:30", "skipHolidays": true},
                        "domainHourlyLimit": 20
                        """,
                        """
                        [{"delay": "PT0S", "subject": "Hi {{firstName|there}}", "body": "A body",
                          "variants": [{"subject": "Hello {{company|you}}", "body": "B body"},
                                       {"subject": "Quick one", "body": "C body {{firstName}}"}]},
                         {"delay": "P2D", "body": "Bump",
                          "variants": [{"body": "Bump, threaded"}]},
                         {"delay": "P2D", "subject": "Last", "body": "Bye"}]
                        """))
                .andExpect(status().isCreated()));

    get(ACME, "/api/v1/campaigns/" + id)
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.sendWindow.days").value(contains("MON", "WED", "FRI")))
        .andExpect(jsonPath("$.sendWindow.start").value("09:00"))
        .andExpect(jsonPath("$.sendWindow.end").value("17:30"))
        .andExpect(jsonPath("$.sendWindow.skipHolidays").value(true))
        .andExpect(jsonPath("$.domainHourlyLimit").value(20))
        .andExpect(jsonPath("$.steps[0].variants.length()").value(2))
        .andExpect(jsonPath("$.steps[0].variants[0].variant").value("B"))
        .andExpect(jsonPath("$.steps[0].variants[0].subject").value("Hello {{company|you}}"))
        .andExpect(jsonPath("$.steps[0].variants[0].body").value("B body"))
        .andExpect(jsonPath("$.steps[0].variants[1].variant").value("C"))
        .andExpect(jsonPath("$.steps[0].variants[1].body").value("C body {{firstName}}"))
        .andExpect(jsonPath("$.steps[1].variants[0].variant").value("B"))
        .andExpect(jsonPath("$.steps[1].variants[0].subject").value(""))
        .andExpect(jsonPath("$.steps[2].variants.length()").value(0))
        .andExpect(jsonPath("$.steps[2].variantStats").doesNotExist());
    assertThat(
            jdbc.sql(
                    "select window_days || ' ' || window_start || '-' || window_end"
                        + " from campaigns where id = :id")
                .param("id", id)
                .query(String.class)
                .single())
        .isEqualTo("MON,WED,FRI 09:00:00-17:30:00");
  }

  @Test
  void aCampaignWithoutAWindowMaySendAtAnyTime() throws Exception {
    long id = createCampaign(ACME);

    get(ACME, "/api/v1/campaigns/" + id)
        .andExpect(jsonPath("$.sendWindow").value(nullValue()))
        .andExpect(jsonPath("$.domainHourlyLimit").value(nullValue()))
        .andExpect(jsonPath("$.steps[0].variants.length()").value(0));
    assertThat(
            jdbc.sql(
                    "select window_days is null and window_start is null and window_end is null"
                        + " and not skip_holidays from campaigns where id = :id")
                .param("id", id)
                .query(Boolean.class)
                .single())
        .isTrue();
  }

  @Test
  void rejectsABrokenSendWindowFieldByFieldAndWritesNothing() throws Exception {
    long mailbox = createMailbox(ACME);
    long campaigns = count("campaigns");

    postJson(
            ACME,
            "/api/v1/campaigns",
            campaign(
                mailbox,
                "\"sendWindow\": {\"days\": [\"MON\", \"Funday\", \"TUE,WED\", \" \"],"
                    + " \"start\": \"17:00\", \"end\": \"09:00\"}",
                ONE_STEP))
        .andExpect(status().isBadRequest())
        .andExpect(
            jsonPath("$.errors[*].field")
                .value(
                    containsInAnyOrder(
                        "sendWindow.days[1]",
                        "sendWindow.days[2]",
                        "sendWindow.days[3]",
                        "sendWindow.end")))
        .andExpect(
            jsonPath("$.errors[?(@.field == 'sendWindow.days[1]')].message")
                .value(hasItem(containsString("unknown day 'Funday'"))))
        .andExpect(
            jsonPath("$.errors[?(@.field == 'sendWindow.end')].message")
                .value(hasItem(containsString("after the start"))));

    postJson(
            ACME,
            "/api/v1/campaigns",
            campaign(
                mailbox,
                "\"sendWindow\": {\"days\": [], \"start\": \"9am\", \"end\": \"25:00\"}",
                ONE_STEP))
        .andExpect(status().isBadRequest())
        .andExpect(
            jsonPath("$.errors[*].field")
                .value(containsInAnyOrder("sendWindow.days", "sendWindow.start", "sendWindow.end")))
        .andExpect(
            jsonPath("$.errors[?(@.field == 'sendWindow.start')].message")
                .value(hasItem(containsString("HH:mm"))));

    postJson(
            ACME,
            "/api/v1/campaigns",
            campaign(
                mailbox,
                "\"sendWindow\": {\"days\": [\"MON\", \"mon\"], \"start\": \"09:00\","
                    + " \"end\": \"09:00\"}",
                ONE_STEP))
        .andExpect(status().isBadRequest())
        .andExpect(
            jsonPath("$.errors[*].field")
                .value(containsInAnyOrder("sendWindow.days", "sendWindow.end")))
        .andExpect(
            jsonPath("$.errors[?(@.field == 'sendWindow.days')].message")
                .value(hasItem(containsString("more than once"))));

    postJson(
            ACME,
            "/api/v1/campaigns",
            campaign(mailbox, "\"sendWindow\": {\"start\": \"09:00\"}", ONE_STEP))
        .andExpect(status().isBadRequest())
        .andExpect(
            jsonPath("$.errors[*].field")
                .value(containsInAnyOrder("sendWindow.days", "sendWindow.end")));

    assertThat(count("campaigns")).isEqualTo(campaigns);
  }

  @Test
  void rejectsADomainHourlyLimitThatIsNotAPositiveNumberInRange() throws Exception {
    long mailbox = createMailbox(ACME);
    long campaigns = count("campaigns");

    for (String limit : new String[] {"0", "-3", "10001"}) {
      postJson(
              ACME,
              "/api/v1/campaigns",
              campaign(mailbox, "\"domainHourlyLimit\": " + limit, ONE_STEP))
          .andExpect(status().isBadRequest())
          .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("domainHourlyLimit")));
    }
    postJson(
            ACME,
            "/api/v1/campaigns",
            campaign(mailbox, "\"domainHourlyLimit\": \"lots\"", ONE_STEP))
        .andExpect(status().isBadRequest());

    assertThat(count("campaigns")).isEqualTo(campaigns);
  }

  @Test
  void acceptsTwentyFiveVariantsAsBToZAndRejectsTwentySix() throws Exception {
    long mailbox = createMailbox(ACME);
    long campaigns = count("campaigns");
    long variants = count("step_variants");

    postJson(ACME, "/api/v1/campaigns", campaign(mailbox, "", stepWithVariants(26)))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("steps[0].variants")));
    assertThat(count("campaigns")).isEqualTo(campaigns);
    assertThat(count("step_variants")).isEqualTo(variants);

    long id =
        id(
            postJson(ACME, "/api/v1/campaigns", campaign(mailbox, "", stepWithVariants(25)))
                .andExpect(status().isCreated()));
    get(ACME, "/api/v1/campaigns/" + id)
        .andExpect(jsonPath("$.steps[0].variants.length()").value(25))
        .andExpect(jsonPath("$.steps[0].variants[0].variant").value("B"))
        .andExpect(jsonPath("$.steps[0].variants[24].variant").value("Z"))
        .andExpect(jsonPath("$.steps[0].variants[24].subject").value("Subject 25"))
        .andExpect(jsonPath("$.steps[0].variantStats.length()").value(26));
  }

  private static String stepWithVariants(int n) {
    String variants =
        IntStream.rangeClosed(1, n)
            .mapToObj(i -> "{\"subject\": \"Subject " + i + "\", \"body\": \"Body " + i + "\"}")
            .collect(Collectors.joining(","));
    return "[{\"delay\": \"PT0S\", \"subject\": \"Hi\", \"body\": \"Hello\", \"variants\": ["
        + variants
        + "]}]";
  }

  @Test
  void checksEveryVariantLikeItsStepAndWritesNothing() throws Exception {
    long mailbox = createMailbox(ACME);
    long campaigns = count("campaigns");
    long variants = count("step_variants");

    postJson(
            ACME,
            "/api/v1/campaigns",
            campaign(
                mailbox,
                "",
                """
                [{"delay": "PT0S", "subject": "Hi", "body": "Hello",
                  "variants": [{"subject": "Hi {{firstName", "body": "ok"},
                               {"body": "a first step's variant needs a subject"},
                               {"subject": "Two\\r\\nlines", "body": "x"},
                               {"subject": "ok"}]},
                 {"delay": "P1D", "body": "b",
                  "variants": [{"body": "{{ not a name }}"}, null]}]
                """))
        .andExpect(status().isBadRequest())
        .andExpect(
            jsonPath("$.errors[*].field")
                .value(
                    containsInAnyOrder(
                        "steps[0].variants[2].subject",
                        "steps[0].variants[3].body",
                        "steps[1].variants[1]")));

    // Bean validation passed with these: the template rules find what is left.
    postJson(
            ACME,
            "/api/v1/campaigns",
            campaign(
                mailbox,
                "",
                """
                [{"delay": "PT0S", "subject": "Hi", "body": "Hello",
                  "variants": [{"subject": "Hi {{firstName", "body": "ok"},
                               {"body": "a first step's variant needs a subject"}]},
                 {"delay": "P1D", "body": "b",
                  "variants": [{"body": "{{ not a name }}"}, {"body": "a reply is fine"}]}]
                """))
        .andExpect(status().isBadRequest())
        .andExpect(
            jsonPath("$.errors[*].field")
                .value(
                    containsInAnyOrder(
                        "steps[0].variants[0].subject",
                        "steps[0].variants[1].subject",
                        "steps[1].variants[0].body")))
        .andExpect(
            jsonPath("$.errors[?(@.field == 'steps[0].variants[0].subject')].message")
                .value(hasItem(containsString("not a valid template"))));

    assertThat(count("campaigns")).isEqualTo(campaigns);
    assertThat(count("step_variants")).isEqualTo(variants);
  }

  @Test
  void countsSentEmailsPerVariantFromTheLedger() throws Exception {
    long mailbox = createMailbox(ACME);
    long id =
        id(
            postJson(
                    ACME,
                    "/api/v1/campaigns",
                    campaign(
                        mailbox,
                        "",
                        """
                        [{"delay": "PT0S", "subject": "A", "body": "a",
                          "variants": [{"subject": "B", "body": "b"},
                                       {"subject": "C", "body": "c"}]},
                         {"delay": "P1D", "body": "follow-up"}]
                        """))
                .andExpect(status().isCreated()));
    addLeads(ACME, id, 5);
    List<Long> leads = leadIds(id);
    ledgerRow(id, leads.get(0), 1, "A", "SENT");
    ledgerRow(id, leads.get(1), 1, "A", "SENT");
    ledgerRow(id, leads.get(2), 1, "B", "SENT");
    ledgerRow(id, leads.get(3), 1, "B", "FAILED");
    ledgerRow(id, leads.get(4), 1, "C", "AMBIGUOUS");
    ledgerRow(id, leads.get(0), 2, null, "SENT");

    get(ACME, "/api/v1/campaigns/" + id)
        .andExpect(jsonPath("$.steps[0].sent").value(3))
        .andExpect(jsonPath("$.steps[0].variantStats[0].variant").value("A"))
        .andExpect(jsonPath("$.steps[0].variantStats[0].sent").value(2))
        .andExpect(jsonPath("$.steps[0].variantStats[1].variant").value("B"))
        .andExpect(jsonPath("$.steps[0].variantStats[1].sent").value(1))
        .andExpect(jsonPath("$.steps[0].variantStats[2].variant").value("C"))
        .andExpect(jsonPath("$.steps[0].variantStats[2].sent").value(0))
        .andExpect(jsonPath("$.steps[0].variantStats.length()").value(3))
        .andExpect(jsonPath("$.steps[1].sent").value(1))
        .andExpect(jsonPath("$.steps[1].variantStats").doesNotExist());
    // Another client sees none of it.
    get(GLOBEX, "/api/v1/campaigns/" + id).andExpect(status().isNotFound());
  }

  @Test
  void documentsTheNewFieldsInTheOpenApiDocument() throws Exception {
    mvc.perform(MockMvcRequestBuilders.get("/v3/api-docs"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.components.schemas.CampaignRequest.properties.sendWindow").exists())
        .andExpect(
            jsonPath("$.components.schemas.CampaignRequest.properties.domainHourlyLimit.maximum")
                .value(10000))
        .andExpect(jsonPath("$.components.schemas.Step.properties.variants.maxItems").value(25))
        .andExpect(
            jsonPath("$.components.schemas.SendWindowRequest.properties.start.pattern").exists())
        .andExpect(
            jsonPath("$.components.schemas.SendWindowRequest.properties.days.items.example")
                .value("MON"))
        .andExpect(
            jsonPath("$.components.schemas.SendWindowRequest.properties.days.description")
                .value(containsString("each at most once")))
        .andExpect(
            jsonPath("$.components.schemas.StepView.properties.variantStats.description")
                .value(containsString("only when the step has variants")));
  }

  private void ledgerRow(long campaign, long lead, int step, String variant, String status) {
    jdbc.sql(
            "insert into send_ledger (client_id, campaign_id, enrolment_id, step_index, mailbox_id,"
                + " message_id, status, variant) select e.client_id, e.campaign_id, e.id, :step,"
                + " cm.mailbox_id, :messageId, :status, :variant from enrolments e"
                + " join campaign_mailboxes cm on cm.campaign_id = e.campaign_id where e.id = :lead")
        .param("step", step)
        .param("messageId", "<ab.c" + campaign + ".l" + lead + ".s" + step + "@example.com>")
        .param("status", status)
        .param("variant", variant)
        .param("lead", lead)
        .update();
  }
}
