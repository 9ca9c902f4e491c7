/**
 * The starting and signalling side of Outbound's workflows: one client per workflow type ({@link
 * dev.outbound.workflows.client.LeadSequenceClient}, {@link
 * dev.outbound.workflows.client.CampaignClient}, {@link
 * dev.outbound.workflows.client.InboxWatcherClient}), used by the API, the activities and the
 * worker. Each owns its workflow's IDs, start options and the way each signal reaches it, so no
 * caller builds a stub or a signal-with-start of its own.
 *
 * <p>Client code, not workflow code: it calls the Temporal service through a {@code WorkflowClient}
 * and must never be called from a workflow. Like the rest of the module it compiles against the
 * Temporal SDK only.
 */
package dev.outbound.workflows.client;
