package dev.outbound.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.outbound.crm.capacity.MailboxCapacityStore;
import dev.outbound.crm.capacity.Reservation;
import dev.outbound.crm.capacity.ReservationRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/** Mailbox pacing settings and today's usage, through the API. */
class MailboxApiTest extends ApiTestSupport {

  @Autowired MailboxCapacityStore capacity;

  private long count(String table) {
    return jdbc.sql("select count(*) from " + table).query(Long.class).single();
  }

  /** A mailbox body with {@code extra} members after the required ones. */
  private static String mailbox(String extra) {
    return """
        {"email": "pace%d@example.com", "displayName": "Sales",
         "smtp": {"host": "localhost", "port": 3025}, "dailyCap": 40, "minGapSeconds": 600 %s}
        """
        .formatted(unique(), extra.isEmpty() ? "" : "," + extra);
  }

  private static String body(org.springframework.test.web.servlet.ResultActions result)
      throws Exception {
    return result.andReturn().getResponse().getContentAsString();
  }

  @Test
  void storesThePacingSettingsAndShowsThemBack() throws Exception {
    LocalDate today = LocalDate.now(ZoneId.of("America/New_York"));
    long id =
        id(
            postJson(
                    ACME,
                    "/api/v1/mailboxes",
                    mailbox(
                        """
                        "jitterSeconds": 120, "timezone": "America/New_York",
                        "warmup": {"startCap": 5, "dailyIncrease": 3, "startedOn": "%s"}
                        """
                            .formatted(today.minusDays(2))))
                .andExpect(status().isCreated()));

    get(ACME, "/api/v1/mailboxes/" + id)
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.dailyCap").value(40))
        .andExpect(jsonPath("$.minGapSeconds").value(600))
        .andExpect(jsonPath("$.jitterSeconds").value(120))
        .andExpect(jsonPath("$.timezone").value("America/New_York"))
        .andExpect(jsonPath("$.warmup.startCap").value(5))
        .andExpect(jsonPath("$.warmup.dailyIncrease").value(3))
        .andExpect(jsonPath("$.warmup.startedOn").value(today.minusDays(2).toString()))
        .andExpect(jsonPath("$.usage.zone").value("America/New_York"))
        .andExpect(jsonPath("$.usage.dailyCap").value(40))
        // Third day of the ramp: 5 + 2 × 3.
        .andExpect(jsonPath("$.usage.capToday").value(11))
        .andExpect(jsonPath("$.usage.warmingUp").value(true))
        .andExpect(jsonPath("$.usage.remainingToday").value(11));
  }

  @Test
  void aMailboxWithoutPacingSettingsCountsUtcDaysWithoutJitterOrWarmup() throws Exception {
    long id = id(postJson(ACME, "/api/v1/mailboxes", mailbox("")).andExpect(status().isCreated()));

    get(ACME, "/api/v1/mailboxes/" + id)
        .andExpect(jsonPath("$.jitterSeconds").value(0))
        .andExpect(jsonPath("$.timezone").value("UTC"))
        .andExpect(jsonPath("$.warmup").value(nullValue()))
        .andExpect(jsonPath("$.usage.capToday").value(40))
        .andExpect(jsonPath("$.usage.warmingUp").value(false))
        .andExpect(jsonPath("$.usage.reservedToday").value(0))
        .andExpect(jsonPath("$.usage.sentToday").value(0))
        .andExpect(jsonPath("$.usage.remainingToday").value(40))
        .andExpect(jsonPath("$.usage.nextFreeSlot").isNotEmpty());
  }

  @Test
  void aWarmupWithoutAStartDayStartsTodayInTheMailboxsZone() throws Exception {
    ZoneId zone = ZoneId.of("Pacific/Auckland");
    LocalDate before = LocalDate.now(zone);
    long id =
        id(
            postJson(
                    ACME,
                    "/api/v1/mailboxes",
                    mailbox(
                        "\"timezone\": \"Pacific/Auckland\","
                            + " \"warmup\": {\"startCap\": 2, \"dailyIncrease\": 0}"))
                .andExpect(status().isCreated()));
    LocalDate after = LocalDate.now(zone);

    LocalDate startedOn =
        LocalDate.parse(
            JsonPath.read(body(get(ACME, "/api/v1/mailboxes/" + id)), "$.warmup.startedOn"));
    assertThat(startedOn).isBetween(before, after);
    get(ACME, "/api/v1/mailboxes/" + id)
        .andExpect(jsonPath("$.usage.capToday").value(2))
        .andExpect(jsonPath("$.usage.warmingUp").value(true));
  }

  @Test
  void showsReservationsAndSendsOfTodayInItsUsage() throws Exception {
    long campaign = createCampaign(ACME);
    long mailbox =
        jdbc.sql("select mailbox_id from campaign_mailboxes where campaign_id = :c")
            .param("c", campaign)
            .query(Long.class)
            .single();
    jdbc.sql("update mailboxes set min_gap_seconds = 600 where id = :id")
        .param("id", mailbox)
        .update();
    addLeads(ACME, campaign, 2);
    List<Long> leads = leadIds(campaign);
    long acme = clients.ensureClient("acme", "Acme");

    get(ACME, "/api/v1/mailboxes/" + mailbox)
        .andExpect(jsonPath("$.usage.reservedToday").value(0))
        .andExpect(jsonPath("$.usage.remainingToday").value(100));

    // What the send activity does for a lead that is due now: reserve a slot, then use it.
    Reservation first =
        capacity.reserve(
            new ReservationRequest(
                acme,
                campaign,
                leads.get(0),
                1,
                mailbox,
                "example.com",
                null,
                Instant.now(),
                null));
    get(ACME, "/api/v1/mailboxes/" + mailbox)
        .andExpect(jsonPath("$.usage.reservedToday").value(1))
        .andExpect(jsonPath("$.usage.sentToday").value(0))
        .andExpect(jsonPath("$.usage.remainingToday").value(99));

    assertThat(capacity.markUsed(acme, first.id())).isTrue();
    String usage = body(get(ACME, "/api/v1/mailboxes/" + mailbox));
    assertThat((Integer) JsonPath.read(usage, "$.usage.reservedToday")).isEqualTo(1);
    assertThat((Integer) JsonPath.read(usage, "$.usage.sentToday")).isEqualTo(1);
    assertThat((Integer) JsonPath.read(usage, "$.usage.remainingToday")).isEqualTo(99);
    // The next email has to keep the minimum gap after the one just sent.
    Instant next = Instant.parse(JsonPath.read(usage, "$.usage.nextFreeSlot"));
    assertThat(next).isAfterOrEqualTo(first.slotAt().plus(Duration.ofSeconds(600)));
  }

  @Test
  void anotherClientsMailboxIsNotFound() throws Exception {
    long foreign = createMailbox(GLOBEX);

    get(ACME, "/api/v1/mailboxes/" + foreign)
        .andExpect(status().isNotFound())
        .andExpect(content().string(not(containsString("usage"))));
    get(GLOBEX, "/api/v1/mailboxes/" + foreign).andExpect(status().isOk());
  }

  @Test
  void rejectsBadPacingSettingsWithTheirFieldsAndWritesNothing() throws Exception {
    long before = count("mailboxes");

    postJson(
            ACME,
            "/api/v1/mailboxes",
            mailbox("\"jitterSeconds\": -1, \"timezone\": \"Mars/Olympus\""))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("jitterSeconds")));
    postJson(ACME, "/api/v1/mailboxes", mailbox("\"timezone\": \"Mars/Olympus\""))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("timezone")))
        .andExpect(jsonPath("$.errors[0].message").value(containsString("not a known time zone")));
    postJson(ACME, "/api/v1/mailboxes", mailbox("\"jitterSeconds\": 86401"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("jitterSeconds")));
    postJson(
            ACME,
            "/api/v1/mailboxes",
            mailbox("\"warmup\": {\"startCap\": 0, \"dailyIncrease\": -1}"))
        .andExpect(status().isBadRequest())
        .andExpect(
            jsonPath("$.errors[*].field")
                .value(containsInAnyOrder("warmup.startCap", "warmup.dailyIncrease")));
    postJson(ACME, "/api/v1/mailboxes", mailbox("\"warmup\": {\"startedOn\": \"2026-11-02\"}"))
        .andExpect(status().isBadRequest())
        .andExpect(
            jsonPath("$.errors[*].field")
                .value(containsInAnyOrder("warmup.startCap", "warmup.dailyIncrease")));
    postJson(
            ACME,
            "/api/v1/mailboxes",
            mailbox(
                "\"warmup\": {\"startCap\": 5, \"dailyIncrease\": 1, \"startedOn\": \"02/11/2026\"}"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("warmup.startedOn")))
        .andExpect(jsonPath("$.errors[*].message").value(hasItem(containsString("YYYY-MM-DD"))));

    assertThat(count("mailboxes")).isEqualTo(before);
  }

  @Test
  void documentsThePacingFieldsAndTheUsage() throws Exception {
    mvc.perform(MockMvcRequestBuilders.get("/v3/api-docs"))
        .andExpect(status().isOk())
        .andExpect(
            jsonPath("$.components.schemas.MailboxRequest.properties.jitterSeconds.maximum")
                .value(86400))
        .andExpect(
            jsonPath("$.components.schemas.MailboxRequest.properties.timezone.description")
                .value(containsString("Default UTC")))
        .andExpect(
            jsonPath("$.components.schemas.MailboxView.properties.dailyCap.description")
                .value(containsString("calendar day")))
        .andExpect(jsonPath("$.components.schemas.Usage.properties.remainingToday").exists())
        .andExpect(
            jsonPath("$.paths['/api/v1/mailboxes/{id}'].get.summary")
                .value(containsString("usage")));
  }
}
