package dev.outbound.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.outbound.crm.unsubscribe.UnsubscribeProperties;
import dev.outbound.vocabulary.tokens.UnsubscribeTokens;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/** The public {@code /u/{token}} endpoint: no API key, the signed token is the credential. */
class UnsubscribeApiTest extends ApiTestSupport {

  @Autowired UnsubscribeTokens tokens;

  private long acme() {
    return clients.ensureClient("acme", "Acme");
  }

  private String leadStatus(long lead) {
    return jdbc.sql("select status from enrolments where id = :id")
        .param("id", lead)
        .query(String.class)
        .single();
  }

  private long suppressionsOf(long client, String value) {
    return jdbc.sql("select count(*) from suppressions where client_id = :c and value = :v")
        .param("c", client)
        .param("v", value)
        .query(Long.class)
        .single();
  }

  @Test
  void getShowsAConfirmationPageWithAButtonAndChangesNothing() throws Exception {
    long campaign = createCampaign(ACME);
    String email = addLeads(ACME, campaign, 1).get(0);
    long lead = leadIds(campaign).get(0);
    String token = tokens.issue(acme(), lead);

    mvc.perform(MockMvcRequestBuilders.get("/u/" + token))
        .andExpect(status().isOk())
        .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
        .andExpect(content().string(containsString("<form method=\"post\" action=\"/u/" + token)))
        .andExpect(content().string(containsString("List-Unsubscribe")))
        .andExpect(content().string(org.hamcrest.Matchers.not(containsString(email))));

    assertThat(leadStatus(lead)).isEqualTo("PENDING");
    assertThat(suppressionsOf(acme(), email)).isZero();
  }

  @Test
  void oneClickPostSuppressesTheAddressAndUnsubscribesEveryEnrolmentOfThePerson() throws Exception {
    long first = createCampaign(ACME);
    long second = createCampaign(ACME);
    String email = addLeads(ACME, first, 1).get(0);
    postJson(ACME, "/api/v1/campaigns/" + second + "/leads", "[{\"email\":\"" + email + "\"}]")
        .andExpect(status().isOk());
    long lead = leadIds(first).get(0);
    long other = leadIds(second).get(0);
    String workflowId = startLeadWorkflow(acme(), first, lead);
    URI link = tokens.url(tokens.issue(acme(), lead));

    for (int attempt = 0; attempt < 2; attempt++) {
      // As a mailbox provider sends it (RFC 8058): no cookie, no API key. The repeat is a no-op.
      mvc.perform(
              MockMvcRequestBuilders.post(link.getPath())
                  .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                  .content("List-Unsubscribe=One-Click"))
          .andExpect(status().isOk())
          .andExpect(content().string(containsString("You are unsubscribed")));
    }

    assertThat(leadStatus(lead)).isEqualTo("UNSUBSCRIBED");
    assertThat(leadStatus(other)).isEqualTo("UNSUBSCRIBED");
    assertThat(signals(workflowId)).containsExactly("unsubscribed");
    get(ACME, "/api/v1/suppressions?kind=ADDRESS&size=500")
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.items[?(@.value == '" + email + "')].reason").value("UNSUBSCRIBED"));
    get(ACME, "/api/v1/leads/" + lead)
        .andExpect(jsonPath("$.status").value("UNSUBSCRIBED"))
        .andExpect(jsonPath("$.timeline[-1].type").value("UNSUBSCRIBED"));
    // The address is suppressed for the client: importing it again is refused.
    long third = createCampaign(ACME);
    postJson(ACME, "/api/v1/campaigns/" + third + "/leads", "[{\"email\":\"" + email + "\"}]")
        .andExpect(jsonPath("$.accepted").value(0))
        .andExpect(jsonPath("$.rejected[0].reason").value("suppressed"));
  }

  @Test
  void aForgedOrAlteredTokenIsRejectedAndChangesNothing() throws Exception {
    long campaign = createCampaign(ACME);
    String email = addLeads(ACME, campaign, 1).get(0);
    long lead = leadIds(campaign).get(0);
    String genuine = tokens.issue(acme(), lead);
    char last = genuine.charAt(genuine.length() - 1);
    String altered = genuine.substring(0, genuine.length() - 1) + (last == 'A' ? 'B' : 'A');
    UnsubscribeTokens otherSecret =
        new UnsubscribeProperties(
                "another-secret-that-is-long-enough-32-bytes",
                List.of(),
                URI.create("https://links.example.test"),
                null)
            .tokens();
    String forged = otherSecret.issue(acme(), lead);

    for (String token : List.of(altered, forged, "not-a-token", genuine + "x")) {
      mvc.perform(MockMvcRequestBuilders.post("/u/" + token).content("List-Unsubscribe=One-Click"))
          .andExpect(status().isNotFound())
          .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
          .andExpect(content().string(containsString("not valid")));
      mvc.perform(MockMvcRequestBuilders.get("/u/" + token)).andExpect(status().isNotFound());
    }

    assertThat(leadStatus(lead)).isEqualTo("PENDING");
    assertThat(suppressionsOf(acme(), email)).isZero();
  }
}
