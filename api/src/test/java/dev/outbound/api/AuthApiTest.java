package dev.outbound.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.outbound.workflows.WorkflowIds;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

class AuthApiTest extends ApiTestSupport {

  @Test
  void answersARequestWithoutAnApiKeyWith401AndABearerChallenge() throws Exception {
    mvc.perform(MockMvcRequestBuilders.get("/api/v1/campaigns"))
        .andExpect(status().isUnauthorized())
        .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "Bearer"))
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(401));
  }

  @Test
  void answersAWrongApiKeyWith401() throws Exception {
    get("no-such-key", "/api/v1/campaigns")
        .andExpect(status().isUnauthorized())
        .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "Bearer"))
        .andExpect(jsonPath("$.detail").value("The API key is not valid."));
    mvc.perform(
            MockMvcRequestBuilders.get("/api/v1/campaigns")
                .header(HttpHeaders.AUTHORIZATION, "Basic " + ACME))
        .andExpect(status().isUnauthorized());
  }

  @Test
  void refusesAWriteWithoutAKeyAndWritesNothing() throws Exception {
    long before = jdbc.sql("select count(*) from mailboxes").query(Long.class).single();

    mvc.perform(
            MockMvcRequestBuilders.post("/api/v1/mailboxes")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{}"))
        .andExpect(status().isUnauthorized());

    assertThat(jdbc.sql("select count(*) from mailboxes").query(Long.class).single())
        .isEqualTo(before);
  }

  @Test
  void answersAnotherClientsIdsWith404AndChangesNothing() throws Exception {
    long campaign = createCampaign(ACME);
    addLeads(ACME, campaign, 1);
    long lead = leadIds(campaign).get(0);
    long mailbox = createMailbox(ACME);

    get(GLOBEX, "/api/v1/campaigns/" + campaign)
        .andExpect(status().isNotFound())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    get(GLOBEX, "/api/v1/campaigns/" + campaign + "/leads").andExpect(status().isNotFound());
    get(GLOBEX, "/api/v1/mailboxes/" + mailbox).andExpect(status().isNotFound());
    get(GLOBEX, "/api/v1/leads/" + lead).andExpect(status().isNotFound());
    post(GLOBEX, "/api/v1/campaigns/" + campaign + "/start").andExpect(status().isNotFound());
    post(GLOBEX, "/api/v1/campaigns/" + campaign + "/stop").andExpect(status().isNotFound());
    post(GLOBEX, "/api/v1/leads/" + lead + "/pause").andExpect(status().isNotFound());
    postJson(GLOBEX, "/api/v1/leads/" + lead + "/events", "{\"type\":\"REPLIED\"}")
        .andExpect(status().isNotFound());
    postJson(GLOBEX, "/api/v1/campaigns/" + campaign + "/leads", "[{\"email\":\"x@example.com\"}]")
        .andExpect(status().isNotFound());
    get(GLOBEX, "/api/v1/campaigns")
        .andExpect(jsonPath("$.items[?(@.id == " + campaign + ")]").isEmpty());

    get(ACME, "/api/v1/campaigns/" + campaign)
        .andExpect(jsonPath("$.status").value("DRAFT"))
        .andExpect(jsonPath("$.counts.leads").value(1));
    get(ACME, "/api/v1/leads/" + lead).andExpect(jsonPath("$.status").value("PENDING"));
    assertThat(workflowExists(WorkflowIds.campaign(campaign))).isFalse();
  }

  @Test
  void servesTheOpenApiDocumentAndHealthWithoutAKey() throws Exception {
    mvc.perform(MockMvcRequestBuilders.get("/v3/api-docs"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.paths['/api/v1/campaigns/{id}/start'].post").exists())
        .andExpect(jsonPath("$.paths['/api/v1/leads/{id}/events'].post").exists())
        .andExpect(
            jsonPath("$.paths['/api/v1/campaigns/{id}/start'].post.parameters[*].name")
                .value(org.hamcrest.Matchers.contains("id")))
        .andExpect(jsonPath("$.components.securitySchemes.apiKey.scheme").value("bearer"));
    mvc.perform(MockMvcRequestBuilders.get("/actuator/health"))
        .andExpect(status().isOk())
        .andExpect(content().string(containsString("UP")));
  }
}
