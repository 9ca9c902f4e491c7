package dev.outbound.api.temporal;

import dev.outbound.api.web.WorkflowServiceUnavailableException;
import dev.outbound.workflows.CampaignAction;
import dev.outbound.workflows.InboxWatch;
import dev.outbound.workflows.LeadRef;
import dev.outbound.workflows.StopReason;
import dev.outbound.workflows.client.CampaignClient;
import dev.outbound.workflows.client.InboxWatcherClient;
import dev.outbound.workflows.client.LeadSequenceClient;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * The API's only door to Temporal: the workflows' clients ({@link CampaignClient}, {@link
 * LeadSequenceClient}, {@link InboxWatcherClient}), with a workflow service that does not take a
 * call answered as 503. Campaign signals go through signal-with-start, so a signal also starts the
 * campaign workflow when it is missing (e.g. a start whose Temporal call failed after the database
 * commit); the workflows' signals are idempotent, so repeating a call is always safe.
 */
@Component
public class WorkflowSignals {

  private final CampaignClient campaigns;
  private final LeadSequenceClient sequences;
  private final InboxWatcherClient watchers;

  private java.time.Duration inboxSession = java.time.Duration.ofMinutes(5);

  /** The watcher's reading session length, {@code outbound.inbound.watch.session} (5 minutes). */
  @org.springframework.beans.factory.annotation.Autowired(required = false)
  void setInboxSession(
      @org.springframework.beans.factory.annotation.Value("${outbound.inbound.watch.session:5m}")
          java.time.Duration session) {
    this.inboxSession = session;
  }

  public WorkflowSignals(WorkflowClient client) {
    this.campaigns = new CampaignClient(client);
    this.sequences = new LeadSequenceClient(client);
    this.watchers = new InboxWatcherClient(client);
  }

  /** Asks the campaign workflow to enrol the campaign's pending leads, starting it if needed. */
  public void enrolPending(long clientId, long campaignId) {
    run(() -> campaigns.enrolPending(clientId, campaignId));
  }

  /** Sends a pause, resume or stop to the campaign workflow, starting it if needed. */
  public void control(long clientId, long campaignId, CampaignAction action) {
    run(() -> campaigns.control(clientId, campaignId, action));
  }

  /**
   * Stops one lead's sequence for {@code reason} ({@link LeadSequenceClient#stop}, the one path by
   * which a stop reaches a lead).
   *
   * @return {@code false} when the lead has no running workflow (never started or already ended)
   */
  public boolean stopLead(long clientId, long campaignId, long leadId, StopReason reason) {
    return call(() -> sequences.stop(new LeadRef(clientId, campaignId, leadId), reason));
  }

  /**
   * An operator's pause of one started, unfinished lead; it acts at once, also while the sequence
   * waits for its first step ({@link LeadSequenceClient#pause}).
   *
   * @return {@code false} when the sequence has ended
   */
  public boolean pauseLead(long clientId, long campaignId, long leadId) {
    return call(() -> sequences.pause(new LeadRef(clientId, campaignId, leadId)));
  }

  /**
   * An operator's resume of one started, unfinished lead ({@link LeadSequenceClient#resume}).
   *
   * @return {@code false} when the sequence has ended
   */
  public boolean resumeLead(long clientId, long campaignId, long leadId) {
    return call(() -> sequences.resume(new LeadRef(clientId, campaignId, leadId)));
  }

  /**
   * Releases one lead held on a step (its mailbox was resumed).
   *
   * @return {@code false} when the lead has no running workflow
   */
  public boolean resumeHeldLead(long clientId, long campaignId, long leadId) {
    return call(() -> sequences.resumeHeld(new LeadRef(clientId, campaignId, leadId)));
  }

  /**
   * Tells one lead held on an ambiguous step that an operator resolved it.
   *
   * @return {@code false} when the lead has no running workflow
   */
  public boolean ambiguityResolved(long clientId, long campaignId, long leadId) {
    return call(() -> sequences.ambiguityResolved(new LeadRef(clientId, campaignId, leadId)));
  }

  /**
   * Makes sure the mailbox's inbox watcher runs ({@link InboxWatcherClient#ensureRunning}); a
   * running one is left as it is. With {@code credentialsChanged}, it also tells the watcher to try
   * the login now (a watcher waiting after a refused login).
   */
  public void watchInbox(long clientId, long mailboxId, boolean credentialsChanged) {
    InboxWatch watch = InboxWatch.of(clientId, mailboxId, (int) inboxSession.toSeconds());
    run(
        () -> {
          if (credentialsChanged) {
            watchers.credentialsChanged(watch);
          } else {
            watchers.ensureRunning(watch);
          }
        });
  }

  private static void run(Runnable call) {
    try {
      call.run();
    } catch (WorkflowException | StatusRuntimeException e) {
      throw unavailable(e);
    }
  }

  private static <T> T call(Supplier<T> call) {
    try {
      return call.get();
    } catch (WorkflowException | StatusRuntimeException e) {
      throw unavailable(e);
    }
  }

  private static WorkflowServiceUnavailableException unavailable(RuntimeException e) {
    return new WorkflowServiceUnavailableException(
        "The change is saved, but the workflow service did not take it. Repeat the request:"
            + " it is safe to repeat and completes the change.",
        e);
  }
}
