package dev.outbound.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

class AdminApiTest extends ApiTestSupport {

  private long newClient(String body) throws Exception {
    return id(postJson(ADMIN_KEY, "/api/v1/admin/clients", body).andExpect(status().isCreated()));
  }

  private String newKey(long client, String scope) throws Exception {
    String json =
        postJson(
                ADMIN_KEY,
                "/api/v1/admin/clients/" + client + "/api-keys",
                "{\"scope\":\"" + scope + "\",\"label\":\"test " + scope + "\"}")
            .andExpect(status().isCreated())
            .andExpect(jsonPath("$.scope").value(scope))
            .andReturn()
            .getResponse()
            .getContentAsString();
    String key = JsonPath.read(json, "$.key");
    assertThat(key).startsWith("obk_").hasSizeGreaterThan(40);
    assertThat((String) JsonPath.read(json, "$.prefix")).isEqualTo(key.substring(0, 12));
    return key;
  }

  @Test
  void createsAClientAndKeysThatWorkAtOnceWithTheirScopes() throws Exception {
    long client = newClient("{\"slug\":\"initech-" + unique() + "\",\"name\":\"Initech\"}");
    String full = newKey(client, "FULL");
    String read = newKey(client, "READ");

    long campaign = createCampaign(full);
    get(read, "/api/v1/campaigns/" + campaign).andExpect(status().isOk());
    post(read, "/api/v1/campaigns/" + campaign + "/start")
        .andExpect(status().isForbidden())
        .andExpect(jsonPath("$.detail").value(containsString("read-only")));
    assertThat(
            jdbc.sql("select status from campaigns where id = :id")
                .param("id", campaign)
                .query(String.class)
                .single())
        .isEqualTo("DRAFT");
    get(full, "/api/v1/campaigns/" + campaign).andExpect(status().isOk());
    // Another client's keys do not see this client's campaign.
    get(ACME, "/api/v1/campaigns/" + campaign).andExpect(status().isNotFound());
  }

  @Test
  void listsKeysWithoutSecretsAndRevokesThem() throws Exception {
    long client = newClient("{\"slug\":\"hooli-" + unique() + "\",\"name\":\"Hooli\"}");
    String key = newKey(client, "FULL");
    get(key, "/api/v1/campaigns").andExpect(status().isOk());

    String listing =
        get(ADMIN_KEY, "/api/v1/admin/clients/" + client + "/api-keys")
            .andExpect(status().isOk())
            .andExpect(jsonPath("$", hasSize(1)))
            .andExpect(jsonPath("$[0].revokedAt").value(nullValue()))
            .andExpect(content().string(not(containsString(key))))
            .andReturn()
            .getResponse()
            .getContentAsString();
    long keyId = ((Number) JsonPath.read(listing, "$[0].id")).longValue();
    assertThat(
            jdbc.sql("select count(*) from api_keys where prefix = :p or label = :k")
                .param("p", key)
                .param("k", key)
                .query(Long.class)
                .single())
        .as("the key itself is stored nowhere")
        .isZero();

    deleteAs(ADMIN_KEY, "/api/v1/admin/clients/" + client + "/api-keys/" + keyId)
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.revokedAt").exists());
    get(key, "/api/v1/campaigns")
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.detail").value("The API key has been revoked."));
    get(ADMIN_KEY, "/api/v1/admin/clients/" + client + "/api-keys")
        .andExpect(jsonPath("$[0].revokedAt").exists());
    // The key of another client cannot be revoked through this client's path.
    deleteAs(ADMIN_KEY, "/api/v1/admin/clients/" + (client + 1000) + "/api-keys/" + keyId)
        .andExpect(status().isNotFound());
  }

  @Test
  void refusesClientKeysAndWrongAdminKeysOnTheAdminApi() throws Exception {
    get(ACME, "/api/v1/admin/clients").andExpect(status().isUnauthorized());
    get("wrong-admin-key", "/api/v1/admin/clients").andExpect(status().isUnauthorized());
    get(ADMIN_KEY, "/api/v1/admin/clients").andExpect(status().isOk());
  }

  @Test
  void enforcesAClientsOwnCapOnLeadsPerCampaignAndWritesNothing() throws Exception {
    long client =
        newClient(
            "{\"slug\":\"capped-" + unique() + "\",\"name\":\"Capped\",\"maxLeadsPerCampaign\":2}");
    String key = newKey(client, "FULL");
    long campaign = createCampaign(key);
    addLeads(key, campaign, 1);

    postJson(
            key,
            "/api/v1/campaigns/" + campaign + "/leads",
            "[{\"email\":\"x1@example.com\"},{\"email\":\"x2@example.com\"}]")
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.maxLeadsPerCampaign").value(2))
        .andExpect(jsonPath("$.detail").value(containsString("Nothing was added")));
    assertThat(leadIds(campaign)).hasSize(1);
    // Duplicates do not count against the cap: one new lead still fits.
    postJson(
            key,
            "/api/v1/campaigns/" + campaign + "/leads",
            "[{\"email\":\"x1@example.com\"},{\"email\":\"x1@example.com\"}]")
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.accepted").value(1));
  }
}
