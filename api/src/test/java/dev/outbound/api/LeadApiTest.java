package dev.outbound.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.outbound.workflows.WorkflowIds;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LeadApiTest extends ApiTestSupport {

  private long acmeClientId() {
    return clients.ensureClient("acme", "Acme");
  }

  @Test
  void addsLeadsAndRejectsDuplicatesWithTheirIndexAndReason() throws Exception {
    long campaign = createCampaign(ACME);
    int run = unique();
    String a = "ada" + run + "@example.com";
    postJson(ACME, "/api/v1/campaigns/" + campaign + "/leads", "[{\"email\":\"" + a + "\"}]")
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.accepted").value(1));

    String b = "bob" + run + "@example.com";
    postJson(
            ACME,
            "/api/v1/campaigns/" + campaign + "/leads",
            """
            [{"email": "%s", "firstName": "Bob", "fields": {"role": "CTO"}},
             {"email": "%s"},
             {"email": "%s"}]
            """
                .formatted(b, a.toUpperCase(), b))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.accepted").value(1))
        .andExpect(jsonPath("$.rejected.length()").value(2))
        .andExpect(jsonPath("$.rejected[0].index").value(1))
        .andExpect(
            jsonPath("$.rejected[0].reason").value(containsString("already in this campaign")))
        .andExpect(jsonPath("$.rejected[1].index").value(2))
        .andExpect(jsonPath("$.rejected[1].reason").value(containsString("index 0")));

    assertThat(leadIds(campaign)).hasSize(2);
  }

  @Test
  void showsALeadWithItsFieldsAndTimeline() throws Exception {
    long campaign = createCampaign(ACME);
    String email = "detail" + unique() + "@example.com";
    postJson(
            ACME,
            "/api/v1/campaigns/" + campaign + "/leads",
            """
            [{"email": "%s", "firstName": "Ada", "timezone": "Europe/London",
              "fields": {"role": "CTO"}}]
            """
                .formatted(email))
        .andExpect(status().isOk());
    long lead = leadIds(campaign).get(0);

    get(ACME, "/api/v1/leads/" + lead)
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.id").value(lead))
        .andExpect(jsonPath("$.campaignId").value(campaign))
        .andExpect(jsonPath("$.email").value(email))
        .andExpect(jsonPath("$.status").value("PENDING"))
        .andExpect(jsonPath("$.currentStep").value(0))
        .andExpect(jsonPath("$.fields.role").value("CTO"))
        .andExpect(jsonPath("$.timeline[0].type").value("ENROLLED"));
  }

  @Test
  void pagesThroughACampaignsLeadsAndFiltersByStatus() throws Exception {
    long campaign = createCampaign(ACME);
    List<String> emails = addLeads(ACME, campaign, 5);
    long first = leadIds(campaign).get(0);
    postJson(ACME, "/api/v1/leads/" + first + "/events", "{\"type\":\"MEETING_BOOKED\"}")
        .andExpect(status().isAccepted());

    get(ACME, "/api/v1/campaigns/" + campaign + "/leads?page=1&size=2")
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.page").value(1))
        .andExpect(jsonPath("$.size").value(2))
        .andExpect(jsonPath("$.total").value(5))
        .andExpect(jsonPath("$.items.length()").value(2))
        .andExpect(jsonPath("$.items[0].email").value(emails.get(2)))
        .andExpect(jsonPath("$.items[1].email").value(emails.get(3)));
    get(ACME, "/api/v1/campaigns/" + campaign + "/leads?status=MEETING_BOOKED")
        .andExpect(jsonPath("$.total").value(1))
        .andExpect(jsonPath("$.items[0].id").value(first));
    get(ACME, "/api/v1/campaigns/" + campaign + "/leads?status=PENDING&size=10")
        .andExpect(jsonPath("$.total").value(4));
    get(ACME, "/api/v1/campaigns/" + campaign)
        .andExpect(jsonPath("$.counts.meetingBooked").value(1))
        .andExpect(jsonPath("$.counts.active").value(4));
  }

  @Test
  void recordsAReplyInTheDatabaseAndSignalsTheRunningSequence() throws Exception {
    long campaign = createCampaign(ACME);
    addLeads(ACME, campaign, 1);
    long lead = leadIds(campaign).get(0);
    String workflowId = startLeadWorkflow(acmeClientId(), campaign, lead);

    postJson(
            ACME,
            "/api/v1/leads/" + lead + "/events",
            "{\"type\":\"REPLIED\",\"note\":\"by phone\"}")
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.status").value("REPLIED"));

    assertThat(signals(workflowId)).containsExactly("replied");
    get(ACME, "/api/v1/leads/" + lead)
        .andExpect(jsonPath("$.status").value("REPLIED"))
        .andExpect(jsonPath("$.timeline[-1].type").value("REPLIED"))
        .andExpect(jsonPath("$.timeline[-1].detail").value(containsString("by phone")));
  }

  @Test
  void recordsAnEventForALeadWhoseSequenceNeverStarted() throws Exception {
    long campaign = createCampaign(ACME);
    addLeads(ACME, campaign, 1);
    long lead = leadIds(campaign).get(0);

    postJson(ACME, "/api/v1/leads/" + lead + "/events", "{\"type\":\"UNSUBSCRIBED\"}")
        .andExpect(status().isAccepted());

    get(ACME, "/api/v1/leads/" + lead).andExpect(jsonPath("$.status").value("UNSUBSCRIBED"));
    assertThat(workflowExists(WorkflowIds.leadSequence(campaign, lead))).isFalse();
  }

  @Test
  void recordsEachLaterEventOnceAndRefusesOneThatGoesBack() throws Exception {
    long campaign = createCampaign(ACME);
    addLeads(ACME, campaign, 1);
    long lead = leadIds(campaign).get(0);
    postJson(ACME, "/api/v1/leads/" + lead + "/events", "{\"type\":\"REPLIED\"}")
        .andExpect(status().isAccepted());

    postJson(ACME, "/api/v1/leads/" + lead + "/events", "{\"type\":\"REPLIED\"}")
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.status").value("REPLIED"));
    postJson(ACME, "/api/v1/leads/" + lead + "/events", "{\"type\":\"UNSUBSCRIBED\"}")
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.status").value("UNSUBSCRIBED"));
    postJson(ACME, "/api/v1/leads/" + lead + "/events", "{\"type\":\"REPLIED\"}")
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.status").value(409))
        .andExpect(jsonPath("$.currentStatus").value("UNSUBSCRIBED"));

    get(ACME, "/api/v1/leads/" + lead)
        .andExpect(jsonPath("$.status").value("UNSUBSCRIBED"))
        .andExpect(
            jsonPath("$.timeline[*].type").value(contains("ENROLLED", "REPLIED", "UNSUBSCRIBED")));
  }

  /** Puts a started lead in {@code status}, as the sequence (or an earlier event) left it. */
  private long leadIn(String status) throws Exception {
    long campaign = createCampaign(ACME);
    addLeads(ACME, campaign, 1);
    long lead = leadIds(campaign).get(0);
    jdbc.sql("update enrolments set status = :s, started_at = now() where id = :id")
        .param("s", status)
        .param("id", lead)
        .update();
    return lead;
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "COMPLETED, REPLIED",
    "COMPLETED, MEETING_BOOKED",
    "COMPLETED, UNSUBSCRIBED",
    "STOPPED, REPLIED",
    "STOPPED, MEETING_BOOKED",
    "STOPPED, UNSUBSCRIBED",
    "FAILED, REPLIED",
    "FAILED, MEETING_BOOKED",
    "FAILED, UNSUBSCRIBED",
    "REPLIED, MEETING_BOOKED",
    "REPLIED, UNSUBSCRIBED",
    "MEETING_BOOKED, UNSUBSCRIBED"
  })
  void recordsWhatHappenedAfterTheSequenceEnded(String from, String to) throws Exception {
    // Its workflow is gone: no signal can reach it, and none is needed.
    long lead = leadIn(from);

    postJson(ACME, "/api/v1/leads/" + lead + "/events", "{\"type\":\"" + to + "\"}")
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.status").value(to));
    postJson(ACME, "/api/v1/leads/" + lead + "/events", "{\"type\":\"" + to + "\"}")
        .andExpect(status().isAccepted());

    get(ACME, "/api/v1/leads/" + lead)
        .andExpect(jsonPath("$.status").value(to))
        .andExpect(jsonPath("$.timeline[*].type").value(contains("ENROLLED", to)));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "BOUNCED, REPLIED",
    "BOUNCED, MEETING_BOOKED",
    "BOUNCED, UNSUBSCRIBED",
    "UNSUBSCRIBED, REPLIED",
    "UNSUBSCRIBED, MEETING_BOOKED",
    "MEETING_BOOKED, REPLIED"
  })
  void refusesAnEventThatTheLeadsStatusDoesNotAllow(String from, String to) throws Exception {
    long lead = leadIn(from);

    postJson(ACME, "/api/v1/leads/" + lead + "/events", "{\"type\":\"" + to + "\"}")
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.currentStatus").value(from))
        .andExpect(jsonPath("$.detail").value(containsString(from)));

    get(ACME, "/api/v1/leads/" + lead)
        .andExpect(jsonPath("$.status").value(from))
        .andExpect(jsonPath("$.timeline[*].type").value(contains("ENROLLED")));
  }

  @Test
  void signalsNoSequenceThatEndedByItself() throws Exception {
    long campaign = createCampaign(ACME);
    addLeads(ACME, campaign, 1);
    long lead = leadIds(campaign).get(0);
    String workflowId = startLeadWorkflow(acmeClientId(), campaign, lead);
    workflows.newUntypedWorkflowStub(workflowId).terminate("the last step went out");
    jdbc.sql("update enrolments set status = 'COMPLETED' where id = :id")
        .param("id", lead)
        .update();

    postJson(ACME, "/api/v1/leads/" + lead + "/events", "{\"type\":\"REPLIED\"}")
        .andExpect(status().isAccepted());
    postJson(ACME, "/api/v1/leads/" + lead + "/events", "{\"type\":\"MEETING_BOOKED\"}")
        .andExpect(status().isAccepted());

    assertThat(signals(workflowId)).isEmpty();
    get(ACME, "/api/v1/leads/" + lead)
        .andExpect(jsonPath("$.status").value("MEETING_BOOKED"))
        .andExpect(
            jsonPath("$.timeline[*].type")
                .value(contains("ENROLLED", "REPLIED", "MEETING_BOOKED")));
  }

  @Test
  void signalsAStillRunningSequenceOfEachChange() throws Exception {
    long campaign = createCampaign(ACME);
    addLeads(ACME, campaign, 1);
    long lead = leadIds(campaign).get(0);
    String workflowId = startLeadWorkflow(acmeClientId(), campaign, lead);

    postJson(ACME, "/api/v1/leads/" + lead + "/events", "{\"type\":\"REPLIED\"}")
        .andExpect(status().isAccepted());
    postJson(ACME, "/api/v1/leads/" + lead + "/events", "{\"type\":\"MEETING_BOOKED\"}")
        .andExpect(status().isAccepted());

    assertThat(signals(workflowId)).containsExactly("replied", "meetingBooked");
  }

  @Test
  void rejectsAnUnknownEventTypeAndChangesNothing() throws Exception {
    long campaign = createCampaign(ACME);
    addLeads(ACME, campaign, 1);
    long lead = leadIds(campaign).get(0);

    postJson(ACME, "/api/v1/leads/" + lead + "/events", "{\"type\":\"BOUNCED\"}")
        .andExpect(status().isBadRequest());
    postJson(ACME, "/api/v1/leads/" + lead + "/events", "{}")
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].field").value("type"));

    get(ACME, "/api/v1/leads/" + lead).andExpect(jsonPath("$.status").value("PENDING"));
  }

  @Test
  void pausesAndResumesARunningLeadThroughItsWorkflow() throws Exception {
    long campaign = createCampaign(ACME);
    addLeads(ACME, campaign, 1);
    long lead = leadIds(campaign).get(0);
    String workflowId = startLeadWorkflow(acmeClientId(), campaign, lead);

    post(ACME, "/api/v1/leads/" + lead + "/pause").andExpect(status().isAccepted());
    post(ACME, "/api/v1/leads/" + lead + "/resume").andExpect(status().isAccepted());

    assertThat(signals(workflowId)).containsExactly("pause", "resume");
  }

  @Test
  void refusesToPauseALeadThatEndedOrNeverStartedAndSaysWhich() throws Exception {
    long campaign = createCampaign(ACME);
    addLeads(ACME, campaign, 3);
    List<Long> leads = leadIds(campaign);
    postJson(ACME, "/api/v1/leads/" + leads.get(0) + "/events", "{\"type\":\"REPLIED\"}")
        .andExpect(status().isAccepted());
    String gone = startLeadWorkflow(acmeClientId(), campaign, leads.get(2));
    workflows.newUntypedWorkflowStub(gone).terminate("ended");

    post(ACME, "/api/v1/leads/" + leads.get(0) + "/pause")
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.detail").value(containsString("has ended (status REPLIED)")))
        .andExpect(jsonPath("$.currentStatus").value("REPLIED"));
    post(ACME, "/api/v1/leads/" + leads.get(1) + "/resume")
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.detail").value(containsString("has not started yet")))
        .andExpect(jsonPath("$.currentStatus").value("PENDING"));
    post(ACME, "/api/v1/leads/" + leads.get(2) + "/pause")
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.detail").value(containsString("has ended (status ACTIVE)")))
        .andExpect(jsonPath("$.detail").value(not(containsString("not started"))));
  }

  @Test
  void correctsAHeldLeadsDataThenResumeReleasesIt() throws Exception {
    long campaign = createCampaign(ACME);
    addLeads(ACME, campaign, 1);
    long lead = leadIds(campaign).get(0);
    String workflowId = startLeadWorkflow(acmeClientId(), campaign, lead);
    jdbc.sql("update enrolments set status = 'HELD' where id = :id").param("id", lead).update();

    patchJson(
            ACME,
            "/api/v1/leads/" + lead,
            """
            {"firstName": "Grace", "company": "Navy", "fields": {"role": "Admiral"}}
            """)
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.id").value(lead))
        .andExpect(jsonPath("$.firstName").value("Grace"))
        .andExpect(jsonPath("$.company").value("Navy"))
        .andExpect(jsonPath("$.lastName").doesNotExist())
        .andExpect(jsonPath("$.fields.role").value("Admiral"))
        .andExpect(jsonPath("$.status").value("HELD"))
        .andExpect(jsonPath("$.timeline[-1].type").value("UPDATED"))
        .andExpect(
            jsonPath("$.timeline[-1].detail").value(containsString("firstName, company, fields")))
        .andExpect(jsonPath("$.timeline[-1].detail").value(not(containsString("Grace"))))
        .andExpect(jsonPath("$.timeline[-1].detail").value(not(containsString("Admiral"))));
    // fields replaces the map; absent values stay.
    patchJson(ACME, "/api/v1/leads/" + lead, "{\"fields\": {\"plan\": \"Pro\"}}")
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.fields.plan").value("Pro"))
        .andExpect(jsonPath("$.fields.role").doesNotExist())
        .andExpect(jsonPath("$.firstName").value("Grace"));

    post(ACME, "/api/v1/leads/" + lead + "/resume").andExpect(status().isAccepted());

    assertThat(signals(workflowId)).containsExactly("resume");
  }

  @Test
  void rejectsAnInvalidCorrectionAndChangesNothing() throws Exception {
    long campaign = createCampaign(ACME);
    addLeads(ACME, campaign, 1);
    long lead = leadIds(campaign).get(0);

    patchJson(
            ACME,
            "/api/v1/leads/" + lead,
            """
            {"firstName": "Evil\\r\\nBcc: x@example.com", "timezone": "Mars/Olympus",
             "fields": {"has space": "x"}}
            """)
        .andExpect(status().isBadRequest())
        .andExpect(
            jsonPath("$.errors[*].field")
                .value(containsInAnyOrder("firstName", "timezone", "fields")));
    patchJson(ACME, "/api/v1/leads/" + lead, "{\"firstName\": \"Mallory\"}")
        .andExpect(status().isOk());
    patchJson(GLOBEX, "/api/v1/leads/" + lead, "{\"firstName\": \"Eve\"}")
        .andExpect(status().isNotFound());

    get(ACME, "/api/v1/leads/" + lead)
        .andExpect(jsonPath("$.firstName").value("Mallory"))
        .andExpect(jsonPath("$.timezone").doesNotExist())
        .andExpect(jsonPath("$.timeline[*].type").value(contains("ENROLLED", "UPDATED")));
  }

  @Test
  void storesALeadsCountryInUpperCaseAndShowsIt() throws Exception {
    long campaign = createCampaign(ACME);
    int run = unique();
    postJson(
            ACME,
            "/api/v1/campaigns/" + campaign + "/leads",
            """
            [{"email": "de%d@example.com", "country": "de", "timezone": "Europe/Berlin"},
             {"email": "none%d@example.com"}]
            """
                .formatted(run, run))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.accepted").value(2));
    List<Long> leads = leadIds(campaign);

    get(ACME, "/api/v1/leads/" + leads.get(0))
        .andExpect(jsonPath("$.country").value("DE"))
        .andExpect(jsonPath("$.mailboxId").doesNotExist());
    get(ACME, "/api/v1/leads/" + leads.get(1)).andExpect(jsonPath("$.country").doesNotExist());
    patchJson(ACME, "/api/v1/leads/" + leads.get(1), "{\"country\": \"us\"}")
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.country").value("US"))
        .andExpect(jsonPath("$.timeline[-1].detail").value(containsString("country")));
  }

  @Test
  void rejectsAnUnknownCountryWithItsIndexAndWritesNoLead() throws Exception {
    long campaign = createCampaign(ACME);
    int run = unique();

    postJson(
            ACME,
            "/api/v1/campaigns/" + campaign + "/leads",
            """
            [{"email": "ok%d@example.com", "country": "FR"},
             {"email": "xx%d@example.com", "country": "XX"},
             {"email": "long%d@example.com", "country": "DEU"}]
            """
                .formatted(run, run, run))
        .andExpect(status().isBadRequest())
        .andExpect(
            jsonPath("$.errors[*].field").value(containsInAnyOrder("[1].country", "[2].country")))
        .andExpect(
            jsonPath("$.errors[0].message")
                .value(containsString("is not an ISO 3166-1 alpha-2 country code")));
    assertThat(leadIds(campaign)).isEmpty();

    addLeads(ACME, campaign, 1);
    long lead = leadIds(campaign).get(0);
    patchJson(ACME, "/api/v1/leads/" + lead, "{\"country\": \"Germany\"}")
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("country")));
    get(ACME, "/api/v1/leads/" + lead).andExpect(jsonPath("$.country").doesNotExist());
  }

  @Test
  void aDeferredLeadStaysActiveAndShowsWhenItsStepMayGo() throws Exception {
    long campaign = createCampaign(ACME);
    addLeads(ACME, campaign, 1);
    long lead = leadIds(campaign).get(0);
    // What the send activity writes when the window is closed or the mailbox is full.
    jdbc.sql(
            "update enrolments set status = 'ACTIVE', started_at = now(),"
                + " next_send_at = '2030-01-07T08:00:00Z' where id = :id")
        .param("id", lead)
        .update();

    get(ACME, "/api/v1/leads/" + lead)
        .andExpect(jsonPath("$.status").value("ACTIVE"))
        .andExpect(jsonPath("$.nextSendAt").value("2030-01-07T08:00:00Z"));
    get(ACME, "/api/v1/campaigns/" + campaign + "/leads")
        .andExpect(jsonPath("$.items[0].nextSendAt").value("2030-01-07T08:00:00Z"));
  }

  @Test
  void addsTenThousandLeadsInOneRequest() throws Exception {
    // How fast is shown by the benchmark (docs/benchmarks.md), not asserted here.
    long campaign = createCampaign(ACME);

    addLeads(ACME, campaign, 10_000);

    assertThat(leadIds(campaign)).hasSize(10_000);
  }
}
