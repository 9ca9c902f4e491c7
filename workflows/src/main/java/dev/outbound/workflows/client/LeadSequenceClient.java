package dev.outbound.workflows.client;

import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.workflows.CampaignAction;
import dev.outbound.workflows.LeadRef;
import dev.outbound.workflows.LeadSequenceWorkflow;
import dev.outbound.workflows.OutboundSearchAttributes;
import dev.outbound.workflows.SequencePlan;
import dev.outbound.workflows.StopReason;
import dev.outbound.workflows.TaskQueues;
import dev.outbound.workflows.WorkflowIds;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.workflow.Functions;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Starts and signals lead sequences ({@link LeadSequenceWorkflow}), for the campaign's enrolment,
 * the API and the inbox activities. Every signal method answers whether a running sequence was
 * there to take it: a lead whose sequence never ran, has ended, or is no longer kept by Temporal
 * gets nothing and needs nothing (its status is already in the database, where each send checks
 * it). Other failures of the Temporal service reach the caller as thrown.
 *
 * <p><b>How a stop reaches a lead.</b> There is one path: {@link #stop}, whatever stopped the lead
 * (a reply, a bounce, an unsubscribe, a booked meeting, an operator's event, the campaign's stop, a
 * colleague's reply). The reason maps to its signal here, and the signal goes out with
 * signal-with-start to a running sequence only, so that a sequence still waiting on its start delay
 * (the enrolment starts a lead whose first step is due later so) acts on it at once, instead of
 * when the delay ends as with a plain signal, and the lead shows as stopped everywhere straight
 * away. Every stop is written to PostgreSQL before it is signalled, and the send's claim checks
 * there, so a signal that is late or lost never lets an email out.
 *
 * <p>The operator's pause and resume and the campaign's pause and resume take the same path, for
 * the same reason. The other signals ({@link #resumeHeld}, {@link #outOfOfficeUntil}, {@link
 * #ambiguityResolved}) concern a sequence that has sent or tried a step, which never waits on a
 * start delay, and go as plain signals.
 */
public final class LeadSequenceClient {

  /** A first step due sooner than this starts its sequence at once (it waits on its own timer). */
  static final Duration MIN_START_DELAY = Duration.ofSeconds(1);

  /** The input of a start that must never happen: a sequence given it ends at once. */
  static final SequencePlan NEVER_RUNS = new SequencePlan(List.of(), 0, LeadStatus.STOPPED);

  private final WorkflowClient client;

  public LeadSequenceClient(WorkflowClient client) {
    this.client = client;
  }

  /**
   * Starts the lead's sequence with {@link #startOptions} and {@code plan} as its input ({@code
   * null}: the sequence loads its own).
   *
   * @param nowMillis the time of the start, from which the start delay is counted
   * @return false when the sequence already exists (a retried page, or a start by the API), which
   *     is all a starter wants: there is never a second sequence for the same (campaign, lead)
   */
  public boolean start(LeadRef lead, SequencePlan plan, long nowMillis) {
    LeadSequenceWorkflow sequence =
        client.newWorkflowStub(LeadSequenceWorkflow.class, startOptions(lead, plan, nowMillis));
    try {
      WorkflowClient.start(sequence::run, lead, plan);
      return true;
    } catch (WorkflowExecutionAlreadyStarted e) {
      return false;
    }
  }

  /**
   * The options a lead's sequence is started with, {@code nowMillis} being the time of the start
   * (the benchmark's bare start loop uses them too, so that it starts the same workflows).
   */
  public static WorkflowOptions startOptions(LeadRef lead, SequencePlan plan, long nowMillis) {
    WorkflowOptions.Builder options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(WorkflowIds.leadSequence(lead.campaignId(), lead.leadId()))
            .setTaskQueue(TaskQueues.OUTBOUND)
            // Never a second sequence for the same (campaign, lead), not even after the first
            // ended.
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
            .setStaticSummary(OutboundSearchAttributes.summaryOf(lead))
            .setStaticDetails(OutboundSearchAttributes.detailsOf(lead))
            // Filterable in the Web UI from the start; the workflow upserts status and step.
            // ACTIVE when the page activated the lead: given at the start, it costs no upsert.
            .setTypedSearchAttributes(
                OutboundSearchAttributes.atStart(
                    lead,
                    plan != null && plan.firstDueAtMillis() != null
                        ? LeadStatus.ACTIVE
                        : LeadStatus.PENDING));
    Duration delay = startDelay(plan, nowMillis);
    if (delay != null) {
      options.setStartDelay(delay);
    }
    return options.build();
  }

  /**
   * Until the lead's first step is due, when that is at least {@link #MIN_START_DELAY} away, else
   * null. The sequence's first workflow task then runs when the step is due (its plan carries the
   * due time, so it sends at once instead of starting a timer): launching a campaign costs Temporal
   * a start per lead and nothing else until the leads fall due, and each lead one timer less.
   *
   * <p>A plain signal that reaches a delayed sequence is kept in its history and acted on when the
   * delay ends; Temporal does not run the workflow for it before. That is why stops and pauses go
   * through signal-with-start (see the class comment), which ends the delay. Until the step is due
   * the Web UI shows the sequence running with a start delay and no events, and the lead's timeline
   * and {@code next_send_at} say when its step is due.
   */
  static Duration startDelay(SequencePlan plan, long nowMillis) {
    if (plan == null || plan.terminalStatus() != null || plan.firstDueAtMillis() == null) {
      return null;
    }
    Duration delay = Duration.ofMillis(plan.firstDueAtMillis() - nowMillis);
    return delay.compareTo(MIN_START_DELAY) >= 0 ? delay : null;
  }

  /**
   * Stops the lead's running sequence for {@code reason}: the one path by which a stop reaches a
   * lead (see the class comment).
   *
   * @return false when the lead has no running sequence (nothing was signalled)
   */
  public boolean stop(LeadRef lead, StopReason reason) {
    return signalNow(lead, (batch, sequence) -> batch.add(stopSignal(sequence, reason)));
  }

  /** The signal that tells {@code sequence} it stops for {@code reason}. */
  static Functions.Proc stopSignal(LeadSequenceWorkflow sequence, StopReason reason) {
    return switch (reason) {
      case REPLIED -> sequence::replied;
      case BOUNCED -> sequence::bounced;
      case UNSUBSCRIBED -> sequence::unsubscribed;
      case MEETING_BOOKED -> sequence::meetingBooked;
      case CAMPAIGN_STOPPED -> sequence::campaignStopped;
    };
  }

  /**
   * An operator holds the lead ({@link LeadSequenceWorkflow#pause}).
   *
   * @return false when the lead has no running sequence (nothing was signalled)
   */
  public boolean pause(LeadRef lead) {
    return signalNow(lead, (batch, sequence) -> batch.add(sequence::pause));
  }

  /**
   * An operator releases the lead from a pause or a hold ({@link LeadSequenceWorkflow#resume}).
   *
   * @return false when the lead has no running sequence (nothing was signalled)
   */
  public boolean resume(LeadRef lead) {
    return signalNow(lead, (batch, sequence) -> batch.add(sequence::resume));
  }

  /**
   * Passes the campaign's pause, resume or stop on to one of its leads: the campaign's own signals,
   * not the operator's pause and resume (a campaign resume must not release a lead that an operator
   * paused); a stop goes through {@link #stop}.
   *
   * @return false when the lead has no running sequence (nothing was signalled)
   */
  public boolean campaignAction(LeadRef lead, CampaignAction action) {
    return switch (action) {
      case PAUSE -> signalNow(lead, (batch, sequence) -> batch.add(sequence::campaignPaused));
      case RESUME -> signalNow(lead, (batch, sequence) -> batch.add(sequence::campaignResumed));
      case STOP -> stop(lead, StopReason.CAMPAIGN_STOPPED);
    };
  }

  /**
   * Releases a lead held on a step (its mailbox was fixed): {@link LeadSequenceWorkflow#resume} as
   * a plain signal.
   *
   * @return false when the lead has no running sequence (nothing was signalled)
   */
  public boolean resumeHeld(LeadRef lead) {
    return signal(lead, LeadSequenceWorkflow::resume);
  }

  /**
   * The lead is away until {@code untilEpochMillis} ({@link
   * LeadSequenceWorkflow#outOfOfficeUntil}).
   *
   * @return false when the lead has no running sequence (nothing was signalled)
   */
  public boolean outOfOfficeUntil(LeadRef lead, long untilEpochMillis) {
    return signal(lead, sequence -> sequence.outOfOfficeUntil(untilEpochMillis));
  }

  /**
   * An operator resolved the lead's ambiguous step ({@link
   * LeadSequenceWorkflow#ambiguityResolved}).
   *
   * @return false when the lead has no running sequence (nothing was signalled)
   */
  public boolean ambiguityResolved(LeadRef lead) {
    return signal(lead, LeadSequenceWorkflow::ambiguityResolved);
  }

  /** A plain signal to the lead's sequence; false when it does not run. */
  private boolean signal(LeadRef lead, Consumer<LeadSequenceWorkflow> signal) {
    LeadSequenceWorkflow sequence =
        client.newWorkflowStub(LeadSequenceWorkflow.class, lead.workflowId());
    try {
      signal.accept(sequence);
      return true;
    } catch (WorkflowNotFoundException e) {
      return false;
    }
  }

  /**
   * Signals the lead's running sequence so that it acts now, also while its start is delayed until
   * its first step is due. Temporal keeps a plain signal to a delayed workflow until the delay
   * ends; a signal-with-start ends the delay and the workflow handles the signal at once (its
   * handlers run before the workflow method decides anything).
   *
   * <p>The start half of that request must never start anything: the sequence is looked up first
   * and only a running one is signalled (one that ends in between is protected by the ID's reuse
   * policy, which rejects a start once a sequence ran). A lead whose sequence never ran, or whose
   * closed sequence Temporal no longer keeps, gets no signal and no sequence.
   *
   * @return false when the lead has no running sequence (nothing was signalled)
   */
  private boolean signalNow(LeadRef lead, BiConsumer<BatchRequest, LeadSequenceWorkflow> signal) {
    try {
      WorkflowExecutionStatus status =
          client.newUntypedWorkflowStub(lead.workflowId()).describe().getStatus();
      if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        return false;
      }
    } catch (WorkflowNotFoundException e) {
      return false;
    }
    LeadSequenceWorkflow sequence =
        client.newWorkflowStub(
            LeadSequenceWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(lead.workflowId())
                .setTaskQueue(TaskQueues.OUTBOUND)
                .setWorkflowIdReusePolicy(
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .build());
    BatchRequest batch = client.newSignalWithStartRequest();
    // Never used to start (see above). Should Temporal start it anyway (a closed run's retention
    // ending between the lookup and this request), the plan says the lead has ended, so that
    // sequence ends at once without any activity: it never loads a plan or sends.
    batch.add(sequence::run, lead, NEVER_RUNS);
    signal.accept(batch, sequence);
    try {
      client.signalWithStart(batch);
      return true;
    } catch (WorkflowExecutionAlreadyStarted e) {
      // The reuse policy refused a start: the sequence ran and has ended.
      return false;
    }
  }
}
