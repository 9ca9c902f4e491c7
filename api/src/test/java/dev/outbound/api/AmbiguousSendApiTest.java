package dev.outbound.api;

import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;

class AmbiguousSendApiTest extends ApiTestSupport {

  @Test
  void anOperatorMarksAnAmbiguousStepSentAndTheCampaignCountsFollow() throws Exception {
    long campaign = createCampaign(ACME);
    long lead = addOneLead(campaign);
    ledgerRow(campaign, lead, 1, "AMBIGUOUS");
    get(ACME, "/api/v1/campaigns/" + campaign)
        .andExpect(jsonPath("$.counts.ambiguous").value(1))
        .andExpect(jsonPath("$.steps[0].sent").value(0));

    post(ACME, "/api/v1/leads/" + lead + "/steps/1/mark-sent")
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("SENT"));

    get(ACME, "/api/v1/campaigns/" + campaign)
        .andExpect(jsonPath("$.counts.ambiguous").value(0))
        .andExpect(jsonPath("$.steps[0].sent").value(1));
    get(ACME, "/api/v1/leads/" + lead)
        .andExpect(jsonPath("$.timeline[-1].type").value("AMBIGUOUS_RESOLVED"));
  }

  @Test
  void anOperatorAllowsOneResendOfAnAmbiguousStep() throws Exception {
    long campaign = createCampaign(ACME);
    long lead = addOneLead(campaign);
    ledgerRow(campaign, lead, 1, "AMBIGUOUS");

    post(ACME, "/api/v1/leads/" + lead + "/steps/1/resend")
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.status").value("RESEND_ALLOWED"));

    get(ACME, "/api/v1/campaigns/" + campaign)
        .andExpect(jsonPath("$.counts.ambiguous").value(0))
        .andExpect(jsonPath("$.steps[0].sent").value(0));
    get(ACME, "/api/v1/leads/" + lead)
        .andExpect(jsonPath("$.timeline[-1].type").value("RESEND_ALLOWED"));
    // The claim is gone, so the next attempt claims and sends; a second resend is a conflict.
    post(ACME, "/api/v1/leads/" + lead + "/steps/1/resend")
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.currentStatus").value("NOT_CLAIMED"));
  }

  @Test
  void aStepThatIsNotAmbiguousIsAConflictAndChangesNothing() throws Exception {
    long campaign = createCampaign(ACME);
    long lead = addOneLead(campaign);
    ledgerRow(campaign, lead, 1, "SENT");

    post(ACME, "/api/v1/leads/" + lead + "/steps/1/mark-sent")
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.currentStatus").value("SENT"));
    post(ACME, "/api/v1/leads/" + lead + "/steps/2/mark-sent")
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.currentStatus").value("NOT_CLAIMED"));
    post(ACME, "/api/v1/leads/" + lead + "/steps/1/resend")
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.currentStatus").value("SENT"));
  }

  @Test
  void anotherClientsLeadIsNotFound() throws Exception {
    long campaign = createCampaign(ACME);
    long lead = addOneLead(campaign);
    ledgerRow(campaign, lead, 1, "AMBIGUOUS");

    post(GLOBEX, "/api/v1/leads/" + lead + "/steps/1/mark-sent").andExpect(status().isNotFound());
    post(GLOBEX, "/api/v1/leads/" + lead + "/steps/1/resend").andExpect(status().isNotFound());
    get(ACME, "/api/v1/campaigns/" + campaign).andExpect(jsonPath("$.counts.ambiguous").value(1));
  }

  private long addOneLead(long campaign) throws Exception {
    postJson(
            ACME,
            "/api/v1/campaigns/" + campaign + "/leads",
            "[{\"email\": \"amb" + unique() + "@example.com\", \"firstName\": \"Ada\"}]")
        .andExpect(status().isOk());
    return jdbc.sql("select max(id) from enrolments where campaign_id = :campaign")
        .param("campaign", campaign)
        .query(Long.class)
        .single();
  }

  private void ledgerRow(long campaign, long lead, int step, String status) {
    jdbc.sql(
            "insert into send_ledger (client_id, campaign_id, enrolment_id, step_index, mailbox_id,"
                + " message_id, status) select e.client_id, e.campaign_id, e.id, :step,"
                + " cm.mailbox_id, :messageId, :status from enrolments e"
                + " join campaign_mailboxes cm on cm.campaign_id = e.campaign_id where e.id = :lead")
        .param("step", step)
        .param("messageId", "<amb.c" + campaign + ".l" + lead + ".s" + step + "@example.com>")
        .param("status", status)
        .param("lead", lead)
        .update();
  }
}
