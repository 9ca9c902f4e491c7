package dev.outbound.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.outbound.workflows.LeadRef;
import dev.outbound.workflows.LeadSequenceWorkflow;
import dev.outbound.workflows.TaskQueues;
import dev.outbound.workflows.WorkflowIds;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeadApiTest extends ApiTestSupport {

  private long acmeClientId() {
    return clients.ensureClient("acme", "Acme");
  }

  /**
   * Does what the campaign workflow's enrolment does: marks the lead started and starts its
   * workflow.
   */
  private String startLeadWorkflow(long campaign, long lead) {
    jdbc.sql("update enrolments set status = 'ACTIVE', started_at = now() where id = :id")
        .param("id", lead)
        .update();
    LeadSequenceWorkflow stub =
        workflows.newWorkflowStub(
            LeadSequenceWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.leadSequence(campaign, lead))
                .setTaskQueue(TaskQueues.OUTBOUND)
                .build());
    WorkflowClient.start(stub::run, new LeadRef(acmeClientId(), campaign, lead));
    return WorkflowIds.leadSequence(campaign, lead);
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
    String workflowId = startLeadWorkflow(campaign, lead);

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
  void refusesAnotherTerminalEventForAnEndedLead() throws Exception {
    long campaign = createCampaign(ACME);
    addLeads(ACME, campaign, 1);
    long lead = leadIds(campaign).get(0);
    postJson(ACME, "/api/v1/leads/" + lead + "/events", "{\"type\":\"REPLIED\"}")
        .andExpect(status().isAccepted());

    postJson(ACME, "/api/v1/leads/" + lead + "/events", "{\"type\":\"REPLIED\"}")
        .andExpect(status().isAccepted());
    postJson(ACME, "/api/v1/leads/" + lead + "/events", "{\"type\":\"UNSUBSCRIBED\"}")
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.status").value(409));

    get(ACME, "/api/v1/leads/" + lead).andExpect(jsonPath("$.status").value("REPLIED"));
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
    String workflowId = startLeadWorkflow(campaign, lead);

    post(ACME, "/api/v1/leads/" + lead + "/pause").andExpect(status().isAccepted());
    post(ACME, "/api/v1/leads/" + lead + "/resume").andExpect(status().isAccepted());

    assertThat(signals(workflowId)).containsExactly("pause", "resume");
  }

  @Test
  void refusesToPauseALeadThatEndedOrNeverStarted() throws Exception {
    long campaign = createCampaign(ACME);
    addLeads(ACME, campaign, 2);
    List<Long> leads = leadIds(campaign);
    postJson(ACME, "/api/v1/leads/" + leads.get(0) + "/events", "{\"type\":\"REPLIED\"}")
        .andExpect(status().isAccepted());

    post(ACME, "/api/v1/leads/" + leads.get(0) + "/pause")
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.detail").value(containsString("REPLIED")));
    post(ACME, "/api/v1/leads/" + leads.get(1) + "/resume")
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.detail").value(containsString("not running")));
  }

  @Test
  void addsTenThousandLeadsInOneRequestWithinSeconds() throws Exception {
    long campaign = createCampaign(ACME);

    long started = System.nanoTime();
    addLeads(ACME, campaign, 10_000);
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(leadIds(campaign)).hasSize(10_000);
    assertThat(took).isLessThan(Duration.ofSeconds(10));
  }
}
