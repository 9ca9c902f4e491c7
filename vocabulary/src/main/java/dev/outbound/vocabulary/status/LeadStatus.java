package dev.outbound.vocabulary.status;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a lead stands in its campaign, and which status may follow which. The names are the API's
 * and the database's ({@code enrolments.status}); every set of statuses the other modules use is
 * derived here, so a status is spelled once.
 */
public enum LeadStatus {
  /** Enrolled, workflow not started yet. */
  PENDING,
  /** The sequence is running: waiting for the next step or sending it. */
  ACTIVE,
  /** Held by an operator or by the campaign being paused; resumes where it was. */
  PAUSED,
  /**
   * Cannot go on without an operator (e.g. a template variable without value); resume after fixing.
   */
  HELD,
  COMPLETED,
  REPLIED,
  BOUNCED,
  UNSUBSCRIBED,
  MEETING_BOOKED,
  /** The campaign (or an operator) stopped the sequence. */
  STOPPED,
  /** A permanent failure ended the sequence; the timeline says why. */
  FAILED;

  /** Statuses of a lead whose sequence is still to run or running. */
  public static final Set<LeadStatus> NOT_ENDED =
      Collections.unmodifiableSet(EnumSet.of(PENDING, ACTIVE, PAUSED, HELD));

  /** Statuses after which a lead's sequence never runs again, in declaration order. */
  public static final Set<LeadStatus> TERMINAL =
      Collections.unmodifiableSet(EnumSet.complementOf(EnumSet.copyOf(NOT_ENDED)));

  /**
   * The terminal statuses the sequence (or a campaign stop) sets on its own, not the lead: what the
   * lead did afterwards (a late reply, a booked meeting, an unsubscribe) can still be recorded over
   * them.
   */
  private static final Set<LeadStatus> SET_BY_THE_SEQUENCE = EnumSet.of(COMPLETED, STOPPED, FAILED);

  /** Terminal statuses never change again and stop the sequence. */
  public boolean isTerminal() {
    return !NOT_ENDED.contains(this);
  }

  /**
   * The statuses from which a lead may be marked with this terminal status: any running one, and
   * for what a person does (in order of weight: REPLIED, MEETING_BOOKED, UNSUBSCRIBED) also the
   * endings the sequence set and the lighter events before it. Empty for a status that is not
   * terminal.
   */
  public Set<LeadStatus> allowedFrom() {
    if (!isTerminal()) {
      return Set.of();
    }
    EnumSet<LeadStatus> from = EnumSet.copyOf(NOT_ENDED);
    switch (this) {
      case REPLIED -> from.addAll(SET_BY_THE_SEQUENCE);
      case MEETING_BOOKED -> {
        from.addAll(SET_BY_THE_SEQUENCE);
        from.add(REPLIED);
      }
      case UNSUBSCRIBED -> {
        from.addAll(SET_BY_THE_SEQUENCE);
        from.add(REPLIED);
        from.add(MEETING_BOOKED);
      }
      default -> {}
    }
    return Collections.unmodifiableSet(from);
  }

  /**
   * Whether a lead with this status may still have a running workflow to tell about a later event:
   * not when its sequence ended it by itself (it has finished, or is about to), which a bounce also
   * does. After an operator's or a person's event it may, if that event's signal did not get
   * through.
   */
  public boolean mayStillRun() {
    return !(SET_BY_THE_SEQUENCE.contains(this) || this == BOUNCED);
  }

  /** The status of this name, or empty for a name that is none (for reading stored values). */
  public static java.util.Optional<LeadStatus> parse(String name) {
    for (LeadStatus status : values()) {
      if (status.name().equals(name)) {
        return java.util.Optional.of(status);
      }
    }
    return java.util.Optional.empty();
  }

  /** The names of {@code statuses}, in declaration order. */
  public static List<String> names(Collection<LeadStatus> statuses) {
    return EnumSet.copyOf(statuses).stream().map(Enum::name).toList();
  }

  /**
   * {@code statuses} as an SQL list of constants, {@code ('A', 'B')}: fixed names, never user data,
   * for queries whose plan (a partial index's predicate) needs the constants written out.
   */
  public static String sqlList(Collection<LeadStatus> statuses) {
    return EnumSet.copyOf(statuses).stream()
        .map(s -> "'" + s.name() + "'")
        .collect(Collectors.joining(", ", "(", ")"));
  }
}
