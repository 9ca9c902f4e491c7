/**
 * The CRM as the REST API sees it: client-scoped stores for mailboxes (with their pacing),
 * campaigns (with their steps, A/B variants, send window and mailbox pool), enrolled leads,
 * campaign counts and operator events.
 *
 * <p>Every statement filters on {@code client_id}, so an ID of another client reads as absent:
 * callers answer 404 for it and can never learn that it exists. Status changes are conditional
 * {@code UPDATE}s ({@code ... where status = 'ACTIVE'}), so two concurrent calls cannot both make
 * the same transition.
 */
package dev.outbound.crm.admin;
