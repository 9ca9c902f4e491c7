package dev.outbound.workflows;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * How a lead's sequence times and retries its activities: the send ({@link SendActivities}) and the
 * CRM writes ({@link LeadActivities}). Changing a value here changes the commands running sequences
 * issue, so it needs a version gate like any other change to {@link LeadSequenceWorkflowImpl}.
 */
final class LeadSequenceActivityOptions {

  /**
   * Sends take at most one SMTP exchange (bounded by the mailer's own deadline) per attempt. A send
   * that is running or waiting for its next retry is not cancelled by a pause or a stop: stops are
   * recorded in PostgreSQL before they are signalled, and every attempt checks them there, so a
   * retrying send ends with {@link SendOutcome#LEAD_STOPPED} or {@link
   * SendOutcome#CAMPAIGN_STOPPED} at its next attempt; a pause holds the lead once the send in
   * progress has finished.
   */
  static final Duration SEND_START_TO_CLOSE = Duration.ofMinutes(5);

  static final Duration SEND_HEARTBEAT_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Sending: transient SMTP and database errors retry with backoff for as long as they last (the
   * ledger makes retries safe); permanent rejections are non-retryable failures and end the lead as
   * failed.
   */
  static final ActivityOptions SEND =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(SEND_START_TO_CLOSE)
          // The activity heartbeats while it works: a worker that dies mid-send is noticed in 30 s
          // and the send retried elsewhere (safe: claim and content_started in the ledger).
          .setHeartbeatTimeout(SEND_HEARTBEAT_TIMEOUT)
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(5))
                  .setBackoffCoefficient(2.0)
                  .setMaximumInterval(Duration.ofMinutes(10))
                  .setDoNotRetry(FailureType.names())
                  .build())
          .build();

  /** CRM writes are short; a database outage is waited out. */
  static final ActivityOptions CRM =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(1))
                  .setBackoffCoefficient(2.0)
                  .setMaximumInterval(Duration.ofMinutes(1))
                  .setDoNotRetry(FailureType.names())
                  .build())
          .build();

  private LeadSequenceActivityOptions() {}
}
