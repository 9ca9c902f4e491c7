package dev.outbound.api;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.TestPropertySource;

/** A bucket of 3 requests that refills at one a minute: the fourth request in a row is refused. */
@TestPropertySource(
    properties = {
      "outbound.api.rate-limit.enabled=true",
      "outbound.api.rate-limit.burst=3",
      "outbound.api.rate-limit.requests-per-minute=1"
    })
class RateLimitApiTest extends ApiTestSupport {

  @Test
  void answers429WithRetryAfterOnceAKeyHasUsedItsBurstAndLeavesOtherKeysAlone() throws Exception {
    for (int i = 0; i < 3; i++) {
      get(ACME, "/api/v1/campaigns").andExpect(status().isOk());
    }
    get(ACME, "/api/v1/campaigns")
        .andExpect(status().isTooManyRequests())
        .andExpect(header().exists(HttpHeaders.RETRY_AFTER))
        .andExpect(jsonPath("$.status").value(429))
        .andExpect(jsonPath("$.detail").value(containsString("Too many requests")))
        .andExpect(jsonPath("$.retryAfterSeconds").isNumber());

    get(GLOBEX, "/api/v1/campaigns").andExpect(status().isOk());
    // A request without a valid key is refused for that, not counted against anyone.
    get("no-such-key", "/api/v1/campaigns").andExpect(status().isUnauthorized());
  }
}
