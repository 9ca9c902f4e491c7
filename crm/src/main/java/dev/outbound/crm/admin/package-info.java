/**
 * The CRM as the REST API sees it: client-scoped stores for mailboxes (with their pacing),
 * campaigns (their definition with steps, A/B variants, send window and mailbox pool in {@link
 * dev.outbound.crm.admin.CampaignStore}, their status transitions in {@link
 * dev.outbound.crm.admin.CampaignTransitionStore}, their counts in {@link
 * dev.outbound.crm.admin.CampaignCountStore}) and enrolled leads (added through {@link
 * dev.outbound.crm.admin.LeadStore}, read through {@link dev.outbound.crm.admin.LeadQueryStore},
 * changed by operator events and corrections through {@link
 * dev.outbound.crm.admin.LeadChangeStore}).
 *
 * <p>Every statement filters on {@code client_id}, so an ID of another client reads as absent:
 * callers answer 404 for it and can never learn that it exists. Status changes are conditional
 * {@code UPDATE}s ({@code ... where status = 'ACTIVE'}), so two concurrent calls cannot both make
 * the same transition.
 */
package dev.outbound.crm.admin;
