package dev.outbound.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * A generated CSV of {@code outbound.import.rows} leads (20,000 in every build, 100,000 for the
 * figure in docs/benchmarks.md) imported through the HTTP API into a running campaign on embedded
 * PostgreSQL, with every check on: upload checks, suppression, duplicates in the campaign and in
 * the client's other running campaigns, batches of 5,000. Prints the rows per second (to
 * target/surefire-reports/dev.outbound.api.ImportCapacityTest-output.txt). The full run:
 *
 * <pre>
 * ./mvnw -B -pl api -am verify -Dtest=ImportCapacityTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Doutbound.import.rows=100000
 * </pre>
 */
@Tag("slow")
@Tag("heavy")
class ImportCapacityTest extends ApiTestSupport {

  private static final int ROWS = Integer.getInteger("outbound.import.rows", 20_000);

  private static final String[] ZONES = {
    "Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles", "Asia/Tokyo"
  };
  private static final String[] COUNTRIES = {"DE", "GB", "US", "US", "JP"};

  @Test
  void importsAGeneratedCsvIntoARunningCampaign() throws Exception {
    long campaign = createCampaign(ACME);
    post(ACME, "/api/v1/campaigns/" + campaign + "/start").andExpect(status().isAccepted());
    int run = unique();
    StringBuilder csv =
        new StringBuilder(ROWS * 120)
            .append("email,first_name,last_name,company,timezone,country,role,source\r\n");
    for (int i = 0; i < ROWS; i++) {
      csv.append("capacity")
          .append(run)
          .append('-')
          .append(i)
          .append("@example.com,Ada,Lovelace,\"Analytical Engines, Ltd.\",")
          .append(ZONES[i % ZONES.length])
          .append(',')
          .append(COUNTRIES[i % COUNTRIES.length])
          .append(",CTO,trade fair 2026\r\n");
    }
    byte[] body = csv.toString().getBytes(StandardCharsets.UTF_8);

    long start = System.nanoTime();
    String location =
        mvc.perform(
                MockMvcRequestBuilders.post("/api/v1/campaigns/" + campaign + "/imports")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + ACME)
                    .contentType("text/csv")
                    .content(body))
            .andExpect(status().isAccepted())
            .andReturn()
            .getResponse()
            .getHeader(HttpHeaders.LOCATION);
    long accepted = System.nanoTime();
    String done = awaitFinished(location);
    long end = System.nanoTime();

    assertThat((String) JsonPath.read(done, "$.status")).isEqualTo("DONE");
    assertThat((Integer) JsonPath.read(done, "$.accepted")).isEqualTo(ROWS);
    assertThat((Integer) JsonPath.read(done, "$.rejected")).isZero();
    assertThat((List<Integer>) JsonPath.read(done, "$.batches.committed"))
        .hasSize((ROWS + 4_999) / 5_000);
    assertThat(leadIds(campaign)).hasSize(ROWS);

    double seconds = (end - start) / 1e9;
    System.out.printf(
        "Lead import: %,d rows (%,d bytes) in %.1f s = %,.0f rows/s"
            + " (upload parsed, checked and staged in %.1f s, then %d batches written in %.1f s)%n",
        ROWS,
        body.length,
        seconds,
        ROWS / seconds,
        (accepted - start) / 1e9,
        (ROWS + 4_999) / 5_000,
        (end - accepted) / 1e9);
  }

  /** Polls until the import has finished; the deadline only keeps a broken runner from hanging. */
  private String awaitFinished(String location) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(20));
    while (true) {
      String body = get(ACME, location).andReturn().getResponse().getContentAsString();
      String status = JsonPath.read(body, "$.status");
      if (status.equals("DONE") || status.equals("FAILED")) {
        return body;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("import still " + status + ": " + body);
      }
      Thread.sleep(50);
    }
  }
}
