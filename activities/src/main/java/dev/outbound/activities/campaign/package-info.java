/**
 * The campaign workflow's activities: enrolling a campaign's leads page by page (marking them
 * active and starting their sequences through {@code LeadSequenceClient}, with a start delay until
 * each lead's first step is due) and passing the campaign's pause, resume and stop on to its leads.
 */
package dev.outbound.activities.campaign;
