package dev.outbound.crm.imports;

import dev.outbound.crm.admin.LeadStore.NewLead;

/**
 * A row of an upload that passed the checks and waits to be written.
 *
 * @param position the CSV line on which the row starts, or its index in the JSON array
 */
public record StagedLead(int position, NewLead lead) {}
