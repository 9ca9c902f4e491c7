/**
 * The lead sequence's CRM activity: loading a sequence's plan ({@code begin}) and recording what
 * the sequence decided ({@code record}: status, step, next due time and the typed timeline event
 * the workflow chose), each safe to run twice.
 */
package dev.outbound.activities.lead;
