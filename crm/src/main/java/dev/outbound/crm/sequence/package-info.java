/**
 * What a lead's sequence reads and writes while it runs: the send context of one step, the send
 * ledger that makes every (campaign, lead, step) go out at most once, the enrolment's progress and
 * the selections the campaign fan-out pages through.
 *
 * <p>As everywhere in the CRM, every statement filters on {@code client_id}, taken as the first
 * argument of each method, so a caller holding another tenant's IDs reads nothing and changes
 * nothing. A "lead" here is an enrolment (a lead in one campaign), as in the API and the workflows.
 */
package dev.outbound.crm.sequence;
