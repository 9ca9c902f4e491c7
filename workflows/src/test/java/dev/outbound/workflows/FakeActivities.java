package dev.outbound.workflows;

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

  volatile SequencePlan plan =
      new SequencePlan(List.of(new PlannedStep(1, 0), new PlannedStep(2, 86_400)), 0, null);
  volatile IntFunction<SendResult> sendScript =
      step -> SendResult.of(SendOutcome.SENT, "<m" + step + ">", "ok");
  volatile java.util.function.LongSupplier clock = System::currentTimeMillis;

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

  @Override
  public SequencePlan begin(LeadRef lead) {
    return plan;
  }

  @Override
  public void record(LeadProgress progress) {
    records.add(progress);
  }

  List<String> events() {
    synchronized (records) {
      return records.stream().map(LeadProgress::event).toList();
    }
  }

  LeadProgress last() {
    synchronized (records) {
      return records.get(records.size() - 1);
    }
  }
}
