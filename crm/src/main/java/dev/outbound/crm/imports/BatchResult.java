package dev.outbound.crm.imports;

import dev.outbound.vocabulary.status.CampaignStatus;

/**
 * What writing one batch did.
 *
 * @param written {@code true} when this call wrote the batch; {@code false} when it had been
 *     written before (then the counts are zero: nothing happened)
 * @param accepted leads of the batch enrolled by this call
 * @param rejected rows of the batch rejected by this call
 * @param campaignStatus the campaign's status while the batch was written
 */
public record BatchResult(
    int batchNo, boolean written, int accepted, int rejected, CampaignStatus campaignStatus) {}
