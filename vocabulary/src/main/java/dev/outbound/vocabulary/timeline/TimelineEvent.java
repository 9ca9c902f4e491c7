package dev.outbound.vocabulary.timeline;

/**
 * The type of an entry on a lead's timeline ({@code lead_events.type}), which answers "why did this
 * lead (not) get step 3?". The names are stored and shown by the API as they are.
 *
 * <p>Who records what follows one rule: <b>the part that observed a fact records it, and the
 * workflow records what the sequence decided to do about it.</b> So the send activity records what
 * happened to an email ({@link #SENT}, {@link #SEND_FAILED}, {@link #AMBIGUOUS}) and the send time
 * it computed when a step may not go out yet ({@link #DEFERRED}, written with the new due time in
 * the same transaction); the workflow records the sequence's states ({@link #HELD} for an ambiguous
 * step or a step that needs an operator, {@link #RESUMED}, {@link #PAUSED}, the stops); the inbound
 * processor records what arrived; the stores record what an operator or the API changed. Each
 * constant names its {@link Source}. The one exception: the send activity writes the workflow's
 * {@link #SCHEDULED} or {@link #COMPLETED} in the transaction that records the send, so that an
 * email costs one activity.
 */
public enum TimelineEvent {
  /** The lead was added to the campaign. */
  ENROLLED(Source.API),
  /** An operator corrected the lead's person; the detail names the fields, never their values. */
  UPDATED(Source.API),
  /** The sequence began (or began again after a restart), with its step count. */
  STARTED(Source.WORKFLOW),
  /** The next step is due at a time; the detail says when. */
  SCHEDULED(Source.WORKFLOW),
  /** A step may not go out yet (window closed, caps reached); the detail says until when. */
  DEFERRED(Source.SEND_ACTIVITY),
  /** A step's email was accepted by the mailbox's SMTP server. */
  SENT(Source.SEND_ACTIVITY),
  /** A step failed permanently (e.g. the server refused the recipient). */
  SEND_FAILED(Source.SEND_ACTIVITY),
  /** A step may or may not have been delivered (a crash or a lost answer); never sent again. */
  AMBIGUOUS(Source.SEND_ACTIVITY),
  /** An operator settled an ambiguous step as sent. */
  AMBIGUOUS_RESOLVED(Source.API),
  /** An operator allowed one resend of an ambiguous step. */
  RESEND_ALLOWED(Source.API),
  /** The sequence waits for an operator (an ambiguous step, a template that cannot render). */
  HELD(Source.WORKFLOW),
  /** Paused by an operator or a paused campaign. */
  PAUSED(Source.WORKFLOW),
  /** Resumed after a pause or a hold. */
  RESUMED(Source.WORKFLOW),
  /** An out-of-office answer arrived; the detail says whether and until when steps wait. */
  OUT_OF_OFFICE(Source.INBOUND),
  /** Another automatic answer arrived; nothing was done. */
  AUTO_REPLY(Source.INBOUND),
  /** A human reply arrived from the lead. */
  REPLY_RECEIVED(Source.INBOUND),
  /** A bounce arrived; the detail says hard or soft and the status code. */
  BOUNCE_RECEIVED(Source.INBOUND),
  /** The lead's address or domain is on the suppression list; the sequence ends. */
  SUPPRESSED(Source.SEND_ACTIVITY),
  /** All steps were handled. */
  COMPLETED(Source.WORKFLOW),
  /** The lead replied (recorded by the sequence, or by an operator through the API). */
  REPLIED(Source.WORKFLOW),
  /** The lead's address bounced hard, or soft too often. */
  BOUNCED(Source.WORKFLOW),
  /** The lead unsubscribed (link, one-click, mailto, reply, or an operator). */
  UNSUBSCRIBED(Source.WORKFLOW),
  /** A meeting was booked (webhook or an operator). */
  MEETING_BOOKED(Source.WORKFLOW),
  /** The campaign was stopped while the sequence ran. */
  CAMPAIGN_STOPPED(Source.WORKFLOW),
  /** The campaign was stopped before the lead's sequence started. */
  STOPPED(Source.API),
  /** A permanent failure ended the sequence. */
  FAILED(Source.WORKFLOW);

  /** Which part of the system records an event of this type in the normal course. */
  public enum Source {
    /** The lead's sequence workflow, through its CRM activity. */
    WORKFLOW,
    /** The send activity, in the transaction that records what happened to the email. */
    SEND_ACTIVITY,
    /** The inbound processor, for what arrived in a watched mailbox. */
    INBOUND,
    /** A store acting for the REST API (an operator, an import, a campaign control). */
    API
  }

  private final Source source;

  TimelineEvent(Source source) {
    this.source = source;
  }

  /** Who records this event in the normal course (see the class comment for the rule). */
  public Source source() {
    return source;
  }
}
