package dev.outbound.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.outbound.workflows.WorkflowIds;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * The API side of what comes back: the signed meeting-booked webhook, and pausing, resuming and
 * re-crediting a mailbox (what an operator does after an alert). The webhook is verified the way a
 * booking tool would sign it, from the secret the API hands out.
 */
class InboundApiTest extends ApiTestSupport {

  private String leadStatus(long lead) {
    return jdbc.sql("select status from enrolments where id = :id")
        .param("id", lead)
        .query(String.class)
        .single();
  }

  private long acme() {
    return clients.ensureClient("acme", "Acme");
  }

  private String secret(String key) throws Exception {
    String body =
        get(key, "/api/v1/webhooks/meetings")
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    return JsonPath.read(body, "$.secret");
  }

  private static String sign(String secret, long timestamp, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256="
        + HexFormat.of()
            .formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
  }

  private ResultActions book(long client, long timestamp, String signature, String body)
      throws Exception {
    return mvc.perform(
        MockMvcRequestBuilders.post("/hooks/meetings/" + client)
            .header("X-Outbound-Timestamp", Long.toString(timestamp))
            .header("X-Outbound-Signature", signature)
            .contentType(MediaType.APPLICATION_JSON)
            .content(body));
  }

  @Test
  void aSignedBookingMarksTheLeadMeetingBookedAndStopsItsSequence() throws Exception {
    long campaign = createCampaign(ACME);
    String email = addLeads(ACME, campaign, 1).get(0);
    long lead = leadIds(campaign).get(0);
    String workflowId = startLeadWorkflow(acme(), campaign, lead);
    String body =
        "{\"email\": \"" + email.toUpperCase() + "\", \"startsAt\": \"2026-12-01T15:00:00Z\"}";
    long now = System.currentTimeMillis() / 1000;

    book(acme(), now, sign(secret(ACME), now, body), body)
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.leads[0]").value(lead));

    assertThat(leadStatus(lead)).isEqualTo("MEETING_BOOKED");
    assertThat(signals(workflowId)).contains("meetingBooked");
    assertThat(
            jdbc.sql(
                    "select detail from lead_events where enrolment_id = :id and type = 'MEETING_BOOKED'")
                .param("id", lead)
                .query(String.class)
                .single())
        .contains("2026-12-01T15:00:00Z");
  }

  @Test
  void aWrongStaleOrOtherClientsSignatureIsRefusedAndChangesNothing() throws Exception {
    long campaign = createCampaign(ACME);
    String email = addLeads(ACME, campaign, 1).get(0);
    long lead = leadIds(campaign).get(0);
    String body = "{\"email\": \"" + email + "\"}";
    long now = System.currentTimeMillis() / 1000;
    String acmeSecret = secret(ACME);

    book(acme(), now, sign("whsec_wrong", now, body), body).andExpect(status().isUnauthorized());
    book(acme(), now - 3_600, sign(acmeSecret, now - 3_600, body), body)
        .andExpect(status().isUnauthorized());
    book(acme(), now, sign(secret(GLOBEX), now, body), body).andExpect(status().isUnauthorized());
    // Signed for one body, sent with another.
    book(acme(), now, sign(acmeSecret, now, body), body.replace("}", ", \"note\": \"x\"}"))
        .andExpect(status().isUnauthorized());
    assertThat(secret(GLOBEX)).isNotEqualTo(acmeSecret);

    assertThat(leadStatus(lead)).isEqualTo("PENDING");
  }

  @Test
  void aBookingForAnAddressThatUnsubscribedLeavesItAlone() throws Exception {
    long campaign = createCampaign(ACME);
    String email = addLeads(ACME, campaign, 1).get(0);
    long lead = leadIds(campaign).get(0);
    jdbc.sql("update enrolments set status = 'UNSUBSCRIBED' where id = :id")
        .param("id", lead)
        .update();
    String body = "{\"email\": \"" + email + "\"}";
    long now = System.currentTimeMillis() / 1000;

    book(acme(), now, sign(secret(ACME), now, body), body)
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.leads").isEmpty())
        .andExpect(jsonPath("$.alreadyFinal").value(1));
    assertThat(leadStatus(lead)).isEqualTo("UNSUBSCRIBED");
  }

  @Test
  void aPausedMailboxIsResumedWithItsHeldLeads() throws Exception {
    long campaign = createCampaign(ACME);
    addLeads(ACME, campaign, 1);
    long lead = leadIds(campaign).get(0);
    long mailbox =
        jdbc.sql("select mailbox_id from campaign_mailboxes where campaign_id = :c")
            .param("c", campaign)
            .query(Long.class)
            .single();
    String workflowId = startLeadWorkflow(acme(), campaign, lead);
    jdbc.sql("update enrolments set status = 'HELD', mailbox_id = :m where id = :id")
        .param("m", mailbox)
        .param("id", lead)
        .update();
    jdbc.sql(
            "update mailboxes set status = 'PAUSED', paused_reason = 'too many bounces'"
                + " where id = :id")
        .param("id", mailbox)
        .update();

    get(ACME, "/api/v1/mailboxes/" + mailbox)
        .andExpect(jsonPath("$.status").value("PAUSED"))
        .andExpect(jsonPath("$.pausedReason").value("too many bounces"));
    post(GLOBEX, "/api/v1/mailboxes/" + mailbox + "/resume").andExpect(status().isNotFound());

    post(ACME, "/api/v1/mailboxes/" + mailbox + "/resume")
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("ACTIVE"))
        .andExpect(jsonPath("$.pausedReason").isEmpty());
    assertThat(signals(workflowId)).contains("resume");

    post(ACME, "/api/v1/mailboxes/" + mailbox + "/pause")
        .andExpect(jsonPath("$.status").value("PAUSED"))
        .andExpect(jsonPath("$.pausedReason").value("paused by an operator"));
  }

  @Test
  void newPasswordsAreStoredEncryptedNeverShownAndTheWatcherIsTold() throws Exception {
    long mailbox = createMailbox(ACME);
    String before =
        jdbc.sql("select smtp_password_enc from mailboxes where id = :id")
            .param("id", mailbox)
            .query(String.class)
            .single();

    String answer =
        mvc.perform(
                MockMvcRequestBuilders.put("/api/v1/mailboxes/" + mailbox + "/credentials")
                    .header("Authorization", "Bearer " + ACME)
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(
                        "{\"smtpPassword\": \"new-smtp-secret\", \"imapPassword\": \"new-imap\"}"))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();

    assertThat(answer).doesNotContain("new-smtp-secret").doesNotContain("new-imap");
    String after =
        jdbc.sql("select smtp_password_enc from mailboxes where id = :id")
            .param("id", mailbox)
            .query(String.class)
            .single();
    assertThat(after).isNotEqualTo(before).doesNotContain("new-smtp-secret");
    assertThat(signals(WorkflowIds.inboxWatcher(acme(), mailbox))).contains("credentialsChanged");

    mvc.perform(
            MockMvcRequestBuilders.put("/api/v1/mailboxes/" + mailbox + "/credentials")
                .header("Authorization", "Bearer " + ACME)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{}"))
        .andExpect(status().isBadRequest());
  }
}
