package dev.outbound.api;

import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/** {@code /api/v1/suppressions}: a client's list, scoped by its API key. */
class SuppressionApiTest extends ApiTestSupport {

  private void deleteAs(String key, long id, int expected) throws Exception {
    mvc.perform(
            delete("/api/v1/suppressions/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + key))
        .andExpect(status().is(expected));
  }

  @Test
  void addsListsAndRemovesEntriesOfOneClientOnly() throws Exception {
    int run = unique();
    String address = "ada" + run + "@example.com";
    long id =
        id(
            postJson(
                    ACME,
                    "/api/v1/suppressions",
                    "{\"kind\":\"ADDRESS\",\"value\":\"Ada" + run + "@Example.COM\"}")
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", startsWith("/api/v1/suppressions/")))
                .andExpect(jsonPath("$.value").value(address))
                .andExpect(jsonPath("$.reason").value("MANUAL")));
    // The same value again: the entry that exists, unchanged.
    postJson(
            ACME,
            "/api/v1/suppressions",
            "{\"kind\":\"ADDRESS\",\"value\":\"" + address + "\",\"reason\":\"COMPLAINT\"}")
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.id").value(id))
        .andExpect(jsonPath("$.reason").value("MANUAL"));
    postJson(
            ACME,
            "/api/v1/suppressions",
            "{\"kind\":\"DOMAIN\",\"value\":\"blocked" + run + ".example\"}")
        .andExpect(status().isCreated());

    get(ACME, "/api/v1/suppressions?kind=ADDRESS&size=500")
        .andExpect(jsonPath("$.items[*].value", hasItem(address)))
        .andExpect(jsonPath("$.items[*].kind", not(hasItem("DOMAIN"))));
    get(GLOBEX, "/api/v1/suppressions?size=500")
        .andExpect(jsonPath("$.items[*].value", not(hasItem(address))));

    // Another client's ID reads as absent and is left alone.
    deleteAs(GLOBEX, id, 404);
    get(ACME, "/api/v1/suppressions?kind=ADDRESS&size=500")
        .andExpect(jsonPath("$.items[*].value", hasItem(address)));
    deleteAs(ACME, id, 204);
    deleteAs(ACME, id, 404);
    get(ACME, "/api/v1/suppressions?kind=ADDRESS&size=500")
        .andExpect(jsonPath("$.items[?(@.value == '" + address + "')]", empty()));
  }

  @Test
  void aSuppressedDomainRejectsItsAddressesAtImportWithTheirIndex() throws Exception {
    int run = unique();
    postJson(
            ACME,
            "/api/v1/suppressions",
            "{\"kind\":\"DOMAIN\",\"value\":\"blocked" + run + ".example\"}")
        .andExpect(status().isCreated());
    long campaign = createCampaign(ACME);

    postJson(
            ACME,
            "/api/v1/campaigns/" + campaign + "/leads",
            "[{\"email\":\"ok"
                + run
                + "@fine.example\"},{\"email\":\"bo@sub.blocked"
                + run
                + ".example\"},{\"email\":\"twice"
                + run
                + "@fine.example\"},{\"email\":\"twice"
                + run
                + "@fine.example\"}]")
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.accepted").value(2))
        .andExpect(jsonPath("$.rejected[0].index").value(1))
        .andExpect(jsonPath("$.rejected[0].reason").value("suppressed"))
        .andExpect(jsonPath("$.rejected[1].index").value(3))
        // The duplicate's reason names the first one by its index in the request.
        .andExpect(
            jsonPath("$.rejected[1].reason")
                .value("duplicate: the same email address is at index 2 too"));
  }

  @Test
  void rejectsValuesThatAreNotAnAddressOrADomainWithProblemDetails() throws Exception {
    postJson(ACME, "/api/v1/suppressions", "{\"kind\":\"ADDRESS\",\"value\":\"not an address\"}")
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.errors[0].field").value("value"));
    postJson(ACME, "/api/v1/suppressions", "{\"kind\":\"DOMAIN\",\"value\":\"bad domain!\"}")
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].field").value("value"));
    postJson(ACME, "/api/v1/suppressions", "{\"value\":\"example.com\"}")
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].field").value("kind"));
    mvc.perform(
            org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get(
                "/api/v1/suppressions"))
        .andExpect(status().isUnauthorized());
  }
}
