package dev.outbound.activities.send;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbound.workflows.FailureType;
import org.junit.jupiter.api.Test;

/** What a retry of a step rejected before fails with: the type its claim was recorded with. */
class ClaimsTest {

  @Test
  void aFailedClaimFailsAgainWithTheTypeItWasRecordedWith() {
    assertThat(Claims.failureTypeOf("INVALID_ADDRESS: the lead's address is not valid"))
        .isEqualTo(FailureType.INVALID_ADDRESS);
    assertThat(Claims.failureTypeOf("SMTP_PERMANENT: the server rejected it: reply 550"))
        .isEqualTo(FailureType.SMTP_PERMANENT);
  }

  @Test
  void anErrorOfNoKnownTypeCountsAsAPermanentRejection() {
    assertThat(Claims.failureTypeOf(null)).isEqualTo(FailureType.SMTP_PERMANENT);
    assertThat(Claims.failureTypeOf("rejected by an operator"))
        .isEqualTo(FailureType.SMTP_PERMANENT);
    assertThat(Claims.failureTypeOf("INVALID_ADDRESS without colon"))
        .isEqualTo(FailureType.SMTP_PERMANENT);
  }
}
