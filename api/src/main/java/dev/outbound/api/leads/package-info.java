/**
 * Leads: add to a campaign (up to {@code outbound.api.max-leads-per-request} at once, duplicates
 * rejected per item), list, read with timeline, correct a lead's data (e.g. to release a held lead
 * with resume), pause/resume one lead, and record what an operator learned outside the system
 * (reply, booked meeting, unsubscribe), also after the sequence ended. A lead ID is an enrolment:
 * one person in one campaign.
 */
package dev.outbound.api.leads;
