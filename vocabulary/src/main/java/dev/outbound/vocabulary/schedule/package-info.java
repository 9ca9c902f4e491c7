/**
 * When an email may go out: a campaign's send window (days of the week and hours) evaluated in the
 * lead's own time zone, with public holidays of the lead's country skipped on request.
 *
 * <p>Everything here is pure computation on {@code java.time} and the holiday tables of the
 * jollyday library: no database, no clock. Callers pass the instant they ask about. Time-zone and
 * holiday rules change with library and JDK updates, so a workflow must record a computed opening
 * (in an activity result or a side effect) rather than recompute it on replay.
 */
package dev.outbound.vocabulary.schedule;
