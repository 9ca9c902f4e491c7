package dev.outbound.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

class ValidationApiTest extends ApiTestSupport {

  private long count(String table) {
    return jdbc.sql("select count(*) from " + table).query(Long.class).single();
  }

  @Test
  void listsEveryInvalidFieldOfACampaignAndWritesNothing() throws Exception {
    long before = count("campaigns");

    postJson(ACME, "/api/v1/campaigns", "{\"name\": \" \", \"mailboxIds\": [], \"steps\": []}")
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(
            jsonPath("$.errors[*].field")
                .value(containsInAnyOrder("mailboxIds", "name", "steps", "timezone")));

    assertThat(count("campaigns")).isEqualTo(before);
  }

  @Test
  void rejectsUnknownTimeZonesBadDelaysAndBrokenTemplates() throws Exception {
    long mailbox = createMailbox(ACME);
    long before = count("campaigns");

    postJson(
            ACME,
            "/api/v1/campaigns",
            """
            {"name": "Bad", "timezone": "Mars/Olympus", "mailboxIds": [%d],
             "steps": [{"delay": "3 days", "subject": "Hi {{firstName", "body": "ok"},
                       {"delay": "-PT1H", "subject": "ok", "body": "{{ not a name }}"}]}
            """
                .formatted(mailbox))
        .andExpect(status().isBadRequest())
        .andExpect(
            jsonPath("$.errors[*].field")
                .value(
                    containsInAnyOrder(
                        "timezone",
                        "steps[0].delay",
                        "steps[0].subject",
                        "steps[1].delay",
                        "steps[1].body")))
        .andExpect(
            jsonPath("$.errors[?(@.field == 'steps[0].subject')].message")
                .value(hasItem(containsString("not closed"))));

    assertThat(count("campaigns")).isEqualTo(before);
  }

  @Test
  void requiresASubjectForTheFirstStepOnlyAndChecksEveryGivenSubject() throws Exception {
    long mailbox = createMailbox(ACME);
    long before = count("campaigns");

    for (String first : new String[] {"", "\"subject\": \" \", ", "\"subject\": null, "}) {
      postJson(
              ACME,
              "/api/v1/campaigns",
              """
              {"name": "No subject", "timezone": "UTC", "mailboxIds": [%d],
               "steps": [{"delay": "PT0S", %s"body": "b"}, {"delay": "P1D", "body": "b"}]}
              """
                  .formatted(mailbox, first))
          .andExpect(status().isBadRequest())
          .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("steps[0].subject")));
    }
    postJson(
            ACME,
            "/api/v1/campaigns",
            """
            {"name": "Broken follow-up", "timezone": "UTC", "mailboxIds": [%d],
             "steps": [{"delay": "PT0S", "subject": "s", "body": "b"},
                       {"delay": "P1D", "subject": "Re: {{firstName", "body": "b"}]}
            """
                .formatted(mailbox))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("steps[1].subject")));

    assertThat(count("campaigns")).isEqualTo(before);
  }

  @Test
  void rejectsAMailboxOfAnotherClientInACampaignLikeAnUnknownOne() throws Exception {
    long foreign = createMailbox(GLOBEX);
    long before = count("campaigns");

    postJson(
            ACME,
            "/api/v1/campaigns",
            """
            {"name": "Sneaky", "timezone": "UTC", "mailboxIds": [%d],
             "steps": [{"delay": "PT0S", "subject": "s", "body": "b"}]}
            """
                .formatted(foreign))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].field").value("mailboxIds"))
        .andExpect(jsonPath("$.errors[0].message").value("unknown mailbox IDs: [" + foreign + "]"));

    assertThat(count("campaigns")).isEqualTo(before);
  }

  @Test
  void rejectsMalformedJsonAsAProblem() throws Exception {
    postJson(ACME, "/api/v1/campaigns", "{\"name\": ")
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(400));
  }

  @Test
  void rejectsAnInvalidMailboxWithItsFields() throws Exception {
    long before = count("mailboxes");

    postJson(
            ACME,
            "/api/v1/mailboxes",
            """
            {"email": "not-an-address", "displayName": "Evil\\r\\nBcc: x@example.com",
             "smtp": {"host": "smtp.example.com", "port": 70000}, "dailyCap": 0, "minGapSeconds": 0}
            """)
        .andExpect(status().isBadRequest())
        .andExpect(
            jsonPath("$.errors[*].field")
                .value(containsInAnyOrder("dailyCap", "displayName", "email", "smtp.port")));

    assertThat(count("mailboxes")).isEqualTo(before);
  }

  @Test
  void rejectsALeadListWithABadAddressOrTimeZoneAndWritesNoneOfIt() throws Exception {
    long campaign = createCampaign(ACME);

    postJson(
            ACME,
            "/api/v1/campaigns/" + campaign + "/leads",
            """
            [{"email": "good%d@example.com"},
             {"email": "bad address@example.com"},
             {"email": "tz%d@example.com", "timezone": "Nowhere/Special"},
             {"email": "f%d@example.com", "fields": {"has space": "x"}}]
            """
                .formatted(unique(), unique(), unique()))
        .andExpect(status().isBadRequest())
        .andExpect(
            jsonPath("$.errors[*].field")
                .value(containsInAnyOrder("[1].email", "[2].timezone", "[3].fields")));

    assertThat(leadIds(campaign)).isEmpty();
  }

  @Test
  void rejectsBadPagingAndUnknownStatusFilters() throws Exception {
    long campaign = createCampaign(ACME);

    get(ACME, "/api/v1/campaigns/" + campaign + "/leads?size=0")
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].field").value("size"));
    get(ACME, "/api/v1/campaigns/" + campaign + "/leads?page=-1")
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].field").value("page"));
    get(ACME, "/api/v1/campaigns/" + campaign + "/leads?status=SLEEPING")
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    get(ACME, "/api/v1/campaigns/not-a-number").andExpect(status().isBadRequest());
  }
}
