package dev.outbound.activities.send;

import dev.outbound.workflows.LeadRef;
import dev.outbound.workflows.PlannedStep;
import dev.outbound.workflows.SendActivities;
import dev.outbound.workflows.SendOutcome;
import dev.outbound.workflows.SendResult;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** The real send activity, noting the (test server's) time of every step it sent. */
public final class RecordingSend implements SendActivities {
  private final SendActivities real;
  private final Clock clock;
  private final List<Instant> sentAt;

  public RecordingSend(SendActivities real, Clock clock, List<Instant> sentAt) {
    this.real = real;
    this.clock = clock;
    this.sentAt = sentAt;
  }

  @Override
  public SendResult sendStep(LeadRef lead, int stepIndex) {
    return noted(real.sendStep(lead, stepIndex));
  }

  @Override
  public SendResult sendStepAndSchedule(
      LeadRef lead, int stepIndex, PlannedStep next, int totalSteps) {
    return noted(real.sendStepAndSchedule(lead, stepIndex, next, totalSteps));
  }

  private SendResult noted(SendResult result) {
    if (result.outcome() == SendOutcome.SENT) {
      sentAt.add(clock.instant());
    }
    return result;
  }
}
