package dev.outbound.crm.admin;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * What a campaign's leads and sends add up to: its leads by status, and the emails sent per step
 * and per A/B variant. Counts of an unknown campaign are zeros or empty (callers check the campaign
 * first, through {@link CampaignStore}).
 */
@Repository
public class CampaignCountStore {

  /** Sent emails of one step: ledger rows in status {@code SENT}. */
  public record StepSent(int index, long sent) {}

  /** Sent emails of one variant of one step: ledger rows in status {@code SENT}. */
  public record VariantSent(int index, String variant, long sent) {}

  private final JdbcClient jdbc;

  public CampaignCountStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Enrolments of the campaign by status, as {@link CampaignCounts}; zero counts for an unknown
   * campaign (callers check existence first).
   */
  public CampaignCounts counts(long clientId, long campaignId) {
    Map<String, Long> byStatus =
        jdbc
            .sql(
                "select status, count(*) as n from enrolments"
                    + " where client_id = :client and campaign_id = :campaign group by status")
            .param("client", clientId)
            .param("campaign", campaignId)
            .query((rs, n) -> Map.entry(rs.getString("status"), rs.getLong("n")))
            .list()
            .stream()
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    long ambiguous =
        jdbc.sql(
                "select count(*) from send_ledger"
                    + " where client_id = :client and campaign_id = :campaign"
                    + " and status = 'AMBIGUOUS'")
            .param("client", clientId)
            .param("campaign", campaignId)
            .query(Long.class)
            .single();
    return CampaignCounts.of(byStatus, ambiguous);
  }

  /** Emails sent per step (send ledger rows in status SENT), one entry per step of the campaign. */
  public List<StepSent> sentPerStep(long clientId, long campaignId) {
    return jdbc.sql(
            "select s.step_index, count(l.id) as sent from sequence_steps s"
                + " left join send_ledger l on l.client_id = s.client_id"
                + "   and l.campaign_id = s.campaign_id and l.step_index = s.step_index"
                + "   and l.status = 'SENT'"
                + " where s.client_id = :client and s.campaign_id = :campaign"
                + " group by s.step_index order by s.step_index")
        .param("client", clientId)
        .param("campaign", campaignId)
        .query((rs, n) -> new StepSent(rs.getInt("step_index"), rs.getLong("sent")))
        .list();
  }

  /**
   * Emails sent per variant (send ledger rows in status SENT), for the steps that have variants:
   * one entry per variant of such a step (A, the step's own content, then B, C, ...), zero for a
   * variant nothing went out with yet, ordered by step and variant. Steps without variants have no
   * entries (their count is {@link #sentPerStep}).
   */
  public List<VariantSent> sentPerVariant(long clientId, long campaignId) {
    return jdbc.sql(
            "with v as ("
                + " select distinct step_index, 'A' as variant from step_variants"
                + "   where client_id = :client and campaign_id = :campaign"
                + " union all"
                + " select step_index, variant from step_variants"
                + "   where client_id = :client and campaign_id = :campaign)"
                + " select v.step_index, v.variant, count(l.id) as sent from v"
                + " left join send_ledger l on l.client_id = :client"
                + "   and l.campaign_id = :campaign and l.step_index = v.step_index"
                // The ledger names the variant of every send of a step that has variants; a row
                // without one can only be the step's own content.
                + "   and coalesce(l.variant, 'A') = v.variant and l.status = 'SENT'"
                + " group by v.step_index, v.variant order by v.step_index, v.variant")
        .param("client", clientId)
        .param("campaign", campaignId)
        .query(
            (rs, n) ->
                new VariantSent(
                    rs.getInt("step_index"), rs.getString("variant"), rs.getLong("sent")))
        .list();
  }
}
