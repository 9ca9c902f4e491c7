package dev.outbound.workflows;

import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.vocabulary.timeline.TimelineEvent;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * Activity fakes for workflow tests: they answer from a script and record every call, so a test can
 * say what the workflow asked for and in which order.
 */
final class FakeActivities implements SendActivities, LeadActivities {

  final List<Integer> sends = Collections.synchronizedList(new ArrayList<>());
  final List<Long> sendTimes = Collections.synchronizedList(new ArrayList<>());
  final List<LeadProgress> records = Collections.synchronizedList(new ArrayList<>());
  final Map<Integer, Integer> attempts = new ConcurrentHashMap<>();

  /** How often the workflow called {@link #record} (its own CRM writes, each an activity). */
  final java.util.concurrent.atomic.AtomicInteger crmCalls =
      new java.util.concurrent.atomic.AtomicInteger();

  volatile SequencePlan plan =
      new SequencePlan(List.of(new PlannedStep(1, 0), new PlannedStep(2, 86_400)), 0, null);
  volatile IntFunction<SendResult> sendScript =
      step -> SendResult.of(SendOutcome.SENT, "<m" + step + ">", "ok");
  volatile java.util.function.LongSupplier clock = System::currentTimeMillis;

  /**
   * Whether the lead is terminal in the (imagined) database: stops are recorded there before they
   * are signalled, so the send activity then records no completion.
   */
  volatile boolean stoppedInDatabase;

  @Override
  public SendResult sendStep(LeadRef lead, int stepIndex) {
    attempts.merge(stepIndex, 1, Integer::sum);
    SendResult result = sendScript.apply(stepIndex);
    if (result == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "550 mailbox unavailable", FailureType.SMTP_PERMANENT.name());
    }
    if (result.outcome() == SendOutcome.SENT) {
      sends.add(stepIndex);
      sendTimes.add(clock.getAsLong());
    }
    return result;
  }

  /**
   * Like the real activity: after a (previous) send it records the next step {@code SCHEDULED} at
   * the activity's clock plus its delay and returns that time, or the completion after the last.
   */
  @Override
  public SendResult sendStepAndSchedule(
      LeadRef lead, int stepIndex, PlannedStep next, int totalSteps) {
    SendResult result = sendStep(lead, stepIndex);
    if (result.outcome() != SendOutcome.SENT && result.outcome() != SendOutcome.ALREADY_SENT) {
      return result;
    }
    if (next == null) {
      if (!stoppedInDatabase) {
        records.add(
            new LeadProgress(
                lead,
                LeadStatus.COMPLETED,
                stepIndex,
                null,
                TimelineEvent.COMPLETED,
                stepIndex,
                "all " + totalSteps + " steps handled"));
      }
      return result;
    }
    long due = clock.getAsLong() + next.delaySeconds() * 1000;
    records.add(
        new LeadProgress(
            lead,
            LeadStatus.ACTIVE,
            stepIndex,
            due,
            TimelineEvent.SCHEDULED,
            next.index(),
            "step " + next.index() + " due in " + next.delaySeconds() + "s"));
    return result.withNextDueAt(due);
  }

  @Override
  public SequencePlan begin(LeadRef lead) {
    return plan;
  }

  @Override
  public void record(LeadProgress progress) {
    crmCalls.incrementAndGet();
    records.add(progress);
  }

  List<String> events() {
    synchronized (records) {
      return records.stream().map(p -> p.event().name()).toList();
    }
  }

  LeadProgress last() {
    synchronized (records) {
      return records.get(records.size() - 1);
    }
  }
}
