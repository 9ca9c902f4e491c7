package dev.outbound.worker.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outbound.vocabulary.privacy.PersonalDataScrubber;
import dev.outbound.workflows.LeadRef;
import io.sentry.ScopesAdapter;
import io.sentry.Sentry;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Sentry interceptor on a real (time-skipping) Temporal test service, reporting into a
 * capturing transport: what is reported, how often, with which tags, and that nothing personal is
 * in it.
 */
class SentryWorkerInterceptorTest {

  static final String QUEUE = "sentry-test";
  static final String ADDRESS = "ada.lovelace@example.com";
  static final LeadRef LEAD = new LeadRef(3, 12, 345);

  /** What the probe activity does on each attempt. */
  enum Behaviour {
    /** Fails for good at once, quoting an address the way a driver's message might. */
    FAIL_PERMANENTLY,
    /** A non-retryable failure of a type that is a business outcome. */
    FAIL_EXPECTED,
    /** Throws on every attempt (a retryable failure). */
    FAIL_ALWAYS,
    /** Throws on the first two attempts, then succeeds. */
    FAIL_TWICE
  }

  @ActivityInterface
  public interface ProbeActivities {
    @ActivityMethod
    String act(LeadRef lead, String email, Behaviour behaviour);
  }

  @WorkflowInterface
  public interface ProbeWorkflow {
    /**
     * Runs the probe activity with at most {@code maximumAttempts} attempts (0 = unlimited); a
     * failure of the activity fails the workflow unless {@code survive}.
     */
    @WorkflowMethod
    String run(LeadRef lead, Behaviour behaviour, int maximumAttempts, boolean survive);
  }

  public static class ProbeWorkflowImpl implements ProbeWorkflow {
    @Override
    public String run(LeadRef lead, Behaviour behaviour, int maximumAttempts, boolean survive) {
      ProbeActivities activities =
          Workflow.newActivityStub(
              ProbeActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofSeconds(10))
                  .setRetryOptions(
                      RetryOptions.newBuilder()
                          .setInitialInterval(Duration.ofSeconds(1))
                          .setMaximumAttempts(maximumAttempts)
                          .build())
                  .build());
      try {
        return activities.act(lead, ADDRESS, behaviour);
      } catch (ActivityFailure failure) {
        if (survive) {
          return "survived";
        }
        throw failure;
      }
    }
  }

  static class ProbeActivitiesImpl implements ProbeActivities {
    final ConcurrentHashMap<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

    @Override
    public String act(LeadRef lead, String email, Behaviour behaviour) {
      int attempt =
          attempts
              .computeIfAbsent(
                  io.temporal.activity.Activity.getExecutionContext().getInfo().getWorkflowId(),
                  id -> new AtomicInteger())
              .incrementAndGet();
      switch (behaviour) {
        case FAIL_PERMANENTLY ->
            throw ApplicationFailure.newNonRetryableFailure(
                "duplicate key: (email)=(" + email + ") already exists", "NOT_FOUND");
        case FAIL_EXPECTED ->
            throw ApplicationFailure.newNonRetryableFailure(
                "recipient rejected: 550", "SMTP_PERMANENT");
        case FAIL_ALWAYS -> throw new IllegalStateException("database down, attempt " + attempt);
        case FAIL_TWICE -> {
          if (attempt <= 2) {
            throw new IllegalStateException("database down, attempt " + attempt);
          }
          return "sent";
        }
        default -> throw new IllegalArgumentException(behaviour.name());
      }
    }
  }

  private static final CapturingTransport transport = new CapturingTransport();
  private TestWorkflowEnvironment env;
  private SentryWorkerInterceptor interceptor;
  private WorkflowClient client;
  private Worker replayer;

  @BeforeAll
  static void initSentry() {
    Sentry.init(
        options -> {
          options.setDsn("https://public@sentry.invalid/1");
          options.setTransportFactory(transport);
          options.addEventProcessor(new PersonalDataScrubber());
          options.setSendDefaultPii(false);
        });
  }

  @AfterAll
  static void closeSentry() {
    Sentry.close();
  }

  @BeforeEach
  void startTemporal() {
    transport.clear();
    interceptor =
        new SentryWorkerInterceptor(
            new TemporalErrorReporter(ScopesAdapter.getInstance(), Set.of("SMTP_PERMANENT")));
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder().setWorkerInterceptors(interceptor).build())
                .build());
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(ProbeWorkflowImpl.class);
    worker.registerActivitiesImplementations(new ProbeActivitiesImpl());
    // Replays histories in the replay test, with the same interceptors as the worker above.
    replayer = env.newWorker("sentry-replay");
    replayer.registerWorkflowImplementationTypes(ProbeWorkflowImpl.class);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stopTemporal() {
    env.close();
  }

  private ProbeWorkflow probe() {
    return client.newWorkflowStub(
        ProbeWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(LEAD.workflowId()).build());
  }

  @Test
  void reportsAPermanentActivityFailureOnceWithItsIdsAndNoPersonalData() {
    assertThat(probe().run(LEAD, Behaviour.FAIL_PERMANENTLY, 5, true)).isEqualTo("survived");

    assertThat(transport.events()).hasSize(1);
    CapturingTransport.Captured report = transport.events().get(0);
    assertThat(report.tag("workflow.type")).isEqualTo("ProbeWorkflow");
    assertThat(report.tag("workflow.id")).isEqualTo("campaign-12-lead-345");
    assertThat(report.tag("activity.type")).isEqualTo("Act");
    assertThat(report.tag("campaign.id")).isEqualTo("12");
    assertThat(report.tag("lead.id")).isEqualTo("345");
    assertThat(report.tag("client.id")).isEqualTo("3");
    assertThat(report.tag("failure.kind")).isEqualTo("activity");
    assertThat(report.json()).doesNotContain(ADDRESS).doesNotContain("lovelace");
    assertThat(report.event().getExceptions())
        .anySatisfy(e -> assertThat(e.getValue()).contains("(email)=([email])"));
  }

  @Test
  void reportsNothingWhileRetriesRemain() {
    // The Java test server does not tell an activity its retry policy (a real server does, and
    // TemporalErrorReporterTest covers the last allowed attempt), so here every attempt of a
    // retryable failure looks like one with retries left: none of the three is reported.
    assertThat(probe().run(LEAD, Behaviour.FAIL_ALWAYS, 3, true)).isEqualTo("survived");

    assertThat(transport.events()).isEmpty();
  }

  @Test
  void reportsNothingForAnActivityThatSucceedsOnARetry() {
    assertThat(probe().run(LEAD, Behaviour.FAIL_TWICE, 5, false)).isEqualTo("sent");

    assertThat(transport.events()).isEmpty();
  }

  @Test
  void neverReportsTheAttemptsOfAnActivityThatRetriesWithoutLimit() {
    assertThat(probe().run(LEAD, Behaviour.FAIL_TWICE, 0, false)).isEqualTo("sent");

    assertThat(transport.events()).isEmpty();
  }

  @Test
  void doesNotReportFailureTypesThatAreBusinessOutcomes() {
    assertThat(probe().run(LEAD, Behaviour.FAIL_EXPECTED, 5, true)).isEqualTo("survived");

    assertThat(transport.events()).isEmpty();
  }

  @Test
  void reportsAFailedWorkflowOnceAndNotWhenItsHistoryIsReplayed() throws Exception {
    assertThatThrownBy(() -> probe().run(LEAD, Behaviour.FAIL_PERMANENTLY, 5, false))
        .isInstanceOf(WorkflowFailedException.class);

    assertThat(transport.eventsTagged("failure.kind", "activity")).hasSize(1);
    var workflowReports = transport.eventsTagged("failure.kind", "workflow");
    assertThat(workflowReports).hasSize(1);
    assertThat(workflowReports.get(0).tag("workflow.type")).isEqualTo("ProbeWorkflow");
    assertThat(workflowReports.get(0).tag("client.id")).isEqualTo("3");
    assertThat(workflowReports.get(0).tag("campaign.id")).isEqualTo("12");
    assertThat(workflowReports.get(0).tag("activity.type")).isNull();
    assertThat(workflowReports.get(0).json()).doesNotContain(ADDRESS);

    // Replay the whole history on a worker that has the interceptor: the workflow fails again in
    // the replay, and nothing more is reported.
    var history = client.fetchHistory(LEAD.workflowId());
    WorkflowReplayer.replayWorkflowExecution(history, replayer);

    assertThat(transport.events()).hasSize(2);
  }

  @Test
  void keepsTheWorkflowResultWhateverTheReporting() {
    WorkflowExecution execution =
        WorkflowClient.start(probe()::run, LEAD, Behaviour.FAIL_TWICE, 5, false);

    assertThat(client.newUntypedWorkflowStub(execution.getWorkflowId()).getResult(String.class))
        .isEqualTo("sent");
  }
}
