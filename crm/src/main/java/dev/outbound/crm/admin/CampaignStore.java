package dev.outbound.crm.admin;

import dev.outbound.crm.TimelineStore;
import dev.outbound.vocabulary.schedule.SendWindow;
import dev.outbound.vocabulary.status.CampaignStatus;
import dev.outbound.vocabulary.timeline.TimelineEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * A client's campaigns: creation with steps (and their A/B variants), send window, domain limit and
 * mailbox pool, status transitions, counts.
 *
 * <p>Transitions are single conditional {@code UPDATE}s, so concurrent calls are safe: of two
 * simultaneous starts exactly one changes the row, the other sees {@link ChangeOutcome#UNCHANGED}.
 */
@Repository
public class CampaignStore {

  /** The most A/B variants a step may have beside its own content: B to Z. */
  public static final int MAX_VARIANTS = 25;

  /** An extra variant of a step's subject and body; the step's own content is variant A. */
  public record NewVariant(String subject, String body) {}

  /**
   * A step to create; steps are numbered from 1 in list order. {@code variants} are stored as B, C,
   * ... in list order, at most {@link #MAX_VARIANTS}.
   */
  public record NewStep(Duration delay, String subject, String body, List<NewVariant> variants) {

    public NewStep {
      variants = variants == null ? List.of() : List.copyOf(variants);
      if (variants.size() > MAX_VARIANTS) {
        throw new IllegalArgumentException(
            "a step has at most " + MAX_VARIANTS + " variants besides its own content");
      }
    }

    /** A step without variants. */
    public NewStep(Duration delay, String subject, String body) {
      this(delay, subject, body, List.of());
    }
  }

  /**
   * A campaign to create, in {@link CampaignStatus#DRAFT}.
   *
   * @param window when emails may go out, in each lead's zone; null to send at any time
   * @param domainHourlyLimit the most emails of the client to one recipient domain in any rolling
   *     hour; null for no limit
   * @param stopCompanyOnReply a reply stops the campaign's other leads at the replier's company
   *     domain (never a free-mail domain)
   */
  public record NewCampaign(
      String name,
      String timezone,
      List<Long> mailboxIds,
      List<NewStep> steps,
      SendWindow window,
      Integer domainHourlyLimit,
      boolean stopCompanyOnReply) {

    public NewCampaign {
      if (domainHourlyLimit != null && domainHourlyLimit <= 0) {
        throw new IllegalArgumentException("the domain hourly limit must be positive");
      }
    }

    /** A campaign without a send window or domain limit. */
    public NewCampaign(String name, String timezone, List<Long> mailboxIds, List<NewStep> steps) {
      this(name, timezone, mailboxIds, steps, null, null, false);
    }

    /** A campaign whose replies stop only the lead who replied. */
    public NewCampaign(
        String name,
        String timezone,
        List<Long> mailboxIds,
        List<NewStep> steps,
        SendWindow window,
        Integer domainHourlyLimit) {
      this(name, timezone, mailboxIds, steps, window, domainHourlyLimit, false);
    }
  }

  /** A stored variant: its letter (B to Z) and content. */
  public record Variant(String variant, String subject, String body) {}

  /** A stored step with its extra variants (empty when it has none), in letter order. */
  public record Step(
      int index, long delaySeconds, String subject, String body, List<Variant> variants) {}

  /**
   * A stored campaign with its steps and mailbox pool.
   *
   * @param window null when the campaign may send at any time
   * @param domainHourlyLimit null when there is none
   */
  public record Campaign(
      long id,
      String name,
      String timezone,
      CampaignStatus status,
      Instant createdAt,
      Instant startedAt,
      List<Long> mailboxIds,
      List<Step> steps,
      SendWindow window,
      Integer domainHourlyLimit,
      boolean stopCompanyOnReply) {}

  /** A campaign as listed. */
  public record CampaignSummary(
      long id, String name, String timezone, CampaignStatus status, Instant createdAt) {}

  /** Sent emails of one step: ledger rows in status {@code SENT}. */
  public record StepSent(int index, long sent) {}

  /** Sent emails of one variant of one step: ledger rows in status {@code SENT}. */
  public record VariantSent(int index, String variant, long sent) {}

  /**
   * The result of a transition.
   *
   * @param outcome what happened
   * @param status the status after the call ({@code null} when not found)
   * @param started whether the campaign was ever started, i.e. has a campaign workflow
   * @param reason why a conflicting transition was refused, else {@code null}
   */
  public record Transition(
      ChangeOutcome outcome, CampaignStatus status, boolean started, String reason) {

    static Transition notFound() {
      return new Transition(ChangeOutcome.NOT_FOUND, null, false, null);
    }
  }

  private final JdbcClient jdbc;
  private final NamedParameterJdbcTemplate named;

  public CampaignStore(JdbcClient jdbc, NamedParameterJdbcTemplate named) {
    this.jdbc = jdbc;
    this.named = named;
  }

  /**
   * Creates the campaign with its steps and mailbox pool in one transaction and returns its ID.
   *
   * @throws UnknownMailboxesException when a mailbox ID is not one of the client's mailboxes;
   *     nothing is written then
   */
  @Transactional
  public long create(long clientId, NewCampaign campaign) {
    Set<Long> mailboxIds = new LinkedHashSet<>(campaign.mailboxIds());
    if (!mailboxIds.isEmpty()) {
      Set<Long> owned =
          new LinkedHashSet<>(
              named.queryForList(
                  "select id from mailboxes where client_id = :client and id in (:ids)",
                  new MapSqlParameterSource("client", clientId).addValue("ids", mailboxIds),
                  Long.class));
      List<Long> unknown = mailboxIds.stream().filter(id -> !owned.contains(id)).toList();
      if (!unknown.isEmpty()) {
        throw new UnknownMailboxesException(unknown);
      }
    }
    SendWindow window = campaign.window();
    long id =
        jdbc.sql(
                "insert into campaigns (client_id, name, timezone, window_days, window_start,"
                    + " window_end, skip_holidays, domain_hourly_limit, stop_company_on_reply) values (:client,"
                    + " :name, :tz, :days, :start, :end, :skipHolidays, :domainLimit,"
                    + " :stopCompany) returning id")
            .param("client", clientId)
            .param("name", campaign.name())
            .param("tz", campaign.timezone())
            .param("days", window == null ? null : window.daysText())
            .param("start", window == null ? null : window.start())
            .param("end", window == null ? null : window.end())
            .param("skipHolidays", window != null && window.skipHolidays())
            .param("domainLimit", campaign.domainHourlyLimit())
            .param("stopCompany", campaign.stopCompanyOnReply())
            .query(Long.class)
            .single();
    List<SqlParameterSource> steps = new ArrayList<>();
    List<SqlParameterSource> variants = new ArrayList<>();
    int index = 1;
    for (NewStep step : campaign.steps()) {
      steps.add(
          new MapSqlParameterSource("client", clientId)
              .addValue("campaign", id)
              .addValue("index", index)
              .addValue("delay", step.delay().toSeconds())
              .addValue("subject", step.subject())
              .addValue("body", step.body()));
      for (int v = 0; v < step.variants().size(); v++) {
        NewVariant variant = step.variants().get(v);
        variants.add(
            new MapSqlParameterSource("client", clientId)
                .addValue("campaign", id)
                .addValue("index", index)
                .addValue("variant", variantLetter(v))
                .addValue("subject", variant.subject())
                .addValue("body", variant.body()));
      }
      index++;
    }
    named.batchUpdate(
        "insert into sequence_steps (client_id, campaign_id, step_index, delay_seconds, subject,"
            + " body) values (:client, :campaign, :index, :delay, :subject, :body)",
        steps.toArray(SqlParameterSource[]::new));
    named.batchUpdate(
        "insert into step_variants (client_id, campaign_id, step_index, variant, subject, body)"
            + " values (:client, :campaign, :index, :variant, :subject, :body)",
        variants.toArray(SqlParameterSource[]::new));
    named.batchUpdate(
        "insert into campaign_mailboxes (client_id, campaign_id, mailbox_id)"
            + " values (:client, :campaign, :mailbox)",
        mailboxIds.stream()
            .map(
                m ->
                    new MapSqlParameterSource("client", clientId)
                        .addValue("campaign", id)
                        .addValue("mailbox", m))
            .toArray(SqlParameterSource[]::new));
    return id;
  }

  /**
   * The letter of a step's extra variant number {@code n} (from 0): B, C, ... The step's own
   * content is A, which is also how the send ledger names it.
   */
  public static String variantLetter(int n) {
    if (n < 0 || n >= MAX_VARIANTS) {
      throw new IllegalArgumentException("no variant letter for extra variant " + n);
    }
    return String.valueOf((char) ('B' + n));
  }

  /** The client's campaign {@code id} with steps and pool; empty for an ID of another client. */
  @Transactional(readOnly = true)
  public Optional<Campaign> find(long clientId, long id) {
    Optional<Campaign> campaign =
        jdbc.sql(
                "select id, name, timezone, status, created_at, started_at, window_days,"
                    + " window_start, window_end, skip_holidays, domain_hourly_limit,"
                    + " stop_company_on_reply from campaigns"
                    + " where client_id = :client and id = :id")
            .param("client", clientId)
            .param("id", id)
            .query(
                (rs, n) -> {
                  String days = rs.getString("window_days");
                  return new Campaign(
                      rs.getLong("id"),
                      rs.getString("name"),
                      rs.getString("timezone"),
                      CampaignStatus.valueOf(rs.getString("status")),
                      instant(rs, "created_at"),
                      instant(rs, "started_at"),
                      List.of(),
                      List.of(),
                      days == null
                          ? null
                          : SendWindow.of(
                              days,
                              rs.getObject("window_start", LocalTime.class),
                              rs.getObject("window_end", LocalTime.class),
                              rs.getBoolean("skip_holidays")),
                      rs.getObject("domain_hourly_limit", Integer.class),
                      rs.getBoolean("stop_company_on_reply"));
                })
            .optional();
    if (campaign.isEmpty()) {
      return Optional.empty();
    }
    Map<Integer, List<Variant>> variants = new HashMap<>();
    jdbc.sql(
            "select step_index, variant, subject, body from step_variants"
                + " where client_id = :client and campaign_id = :id order by step_index, variant")
        .param("client", clientId)
        .param("id", id)
        .query(
            (RowCallbackHandler)
                rs ->
                    variants
                        .computeIfAbsent(rs.getInt("step_index"), k -> new ArrayList<>())
                        .add(
                            new Variant(
                                rs.getString("variant"),
                                rs.getString("subject"),
                                rs.getString("body"))));
    List<Step> steps =
        jdbc.sql(
                "select step_index, delay_seconds, subject, body from sequence_steps"
                    + " where client_id = :client and campaign_id = :id order by step_index")
            .param("client", clientId)
            .param("id", id)
            .query(
                (rs, n) ->
                    new Step(
                        rs.getInt("step_index"),
                        rs.getLong("delay_seconds"),
                        rs.getString("subject"),
                        rs.getString("body"),
                        List.copyOf(variants.getOrDefault(rs.getInt("step_index"), List.of()))))
            .list();
    List<Long> mailboxIds =
        jdbc.sql(
                "select mailbox_id from campaign_mailboxes"
                    + " where client_id = :client and campaign_id = :id order by mailbox_id")
            .param("client", clientId)
            .param("id", id)
            .query(Long.class)
            .list();
    Campaign c = campaign.get();
    return Optional.of(
        new Campaign(
            c.id(),
            c.name(),
            c.timezone(),
            c.status(),
            c.createdAt(),
            c.startedAt(),
            List.copyOf(mailboxIds),
            List.copyOf(steps),
            c.window(),
            c.domainHourlyLimit(),
            c.stopCompanyOnReply()));
  }

  /** The client's campaigns, newest first. */
  public Page<CampaignSummary> list(long clientId, int page, int size) {
    List<CampaignSummary> items =
        jdbc.sql(
                "select id, name, timezone, status, created_at from campaigns"
                    + " where client_id = :client order by id desc limit :size offset :offset")
            .param("client", clientId)
            .param("size", size)
            .param("offset", (long) page * size)
            .query((rs, n) -> summary(rs))
            .list();
    long total =
        jdbc.sql("select count(*) from campaigns where client_id = :client")
            .param("client", clientId)
            .query(Long.class)
            .single();
    return new Page<>(items, page, size, total);
  }

  /** The status of the client's campaign {@code id}; empty for an ID of another client. */
  public Optional<CampaignStatus> status(long clientId, long id) {
    return jdbc.sql("select status from campaigns where client_id = :client and id = :id")
        .param("client", clientId)
        .param("id", id)
        .query((rs, n) -> CampaignStatus.valueOf(rs.getString(1)))
        .optional();
  }

  /**
   * DRAFT to ACTIVE, when the campaign has at least one step and one mailbox. Starting an ACTIVE
   * campaign is {@link ChangeOutcome#UNCHANGED}; a PAUSED or STOPPED one is a conflict.
   */
  public Transition start(long clientId, long id) {
    int changed =
        jdbc.sql(
                "update campaigns c set status = 'ACTIVE', started_at = coalesce(started_at, now())"
                    + " where c.client_id = :client and c.id = :id and c.status = 'DRAFT'"
                    + " and exists (select 1 from sequence_steps s"
                    + "   where s.client_id = c.client_id and s.campaign_id = c.id)"
                    + " and exists (select 1 from campaign_mailboxes m"
                    + "   where m.client_id = c.client_id and m.campaign_id = c.id)")
            .param("client", clientId)
            .param("id", id)
            .update();
    if (changed == 1) {
      return new Transition(ChangeOutcome.CHANGED, CampaignStatus.ACTIVE, true, null);
    }
    return current(clientId, id)
        .map(
            now ->
                switch (now.status()) {
                  case ACTIVE -> new Transition(ChangeOutcome.UNCHANGED, now.status(), true, null);
                  case DRAFT ->
                      conflict(
                          now, "the campaign needs at least one step and one mailbox to start");
                  case PAUSED -> conflict(now, "the campaign is paused; resume it instead");
                  case STOPPED -> conflict(now, "a stopped campaign cannot be started again");
                })
        .orElseGet(Transition::notFound);
  }

  /**
   * ACTIVE to PAUSED; pausing a PAUSED campaign is unchanged, a DRAFT or STOPPED one a conflict.
   */
  public Transition pause(long clientId, long id) {
    return move(clientId, id, CampaignStatus.ACTIVE, CampaignStatus.PAUSED);
  }

  /**
   * PAUSED to ACTIVE; resuming an ACTIVE campaign is unchanged, a DRAFT or STOPPED one a conflict.
   */
  public Transition resume(long clientId, long id) {
    return move(clientId, id, CampaignStatus.PAUSED, CampaignStatus.ACTIVE);
  }

  /**
   * Any status to STOPPED. A campaign that was never started has no workflow to stop its leads, so
   * its enrolled leads are stopped here, with a timeline event each.
   */
  @Transactional
  public Transition stop(long clientId, long id) {
    Optional<Boolean> started =
        jdbc.sql(
                "update campaigns set status = 'STOPPED' where client_id = :client and id = :id"
                    + " and status <> 'STOPPED' returning started_at is not null")
            .param("client", clientId)
            .param("id", id)
            .query(Boolean.class)
            .optional();
    if (started.isEmpty()) {
      return current(clientId, id)
          .map(now -> new Transition(ChangeOutcome.UNCHANGED, now.status(), now.started(), null))
          .orElseGet(Transition::notFound);
    }
    if (!started.get()) {
      jdbc.sql(
              "with stopped as (update enrolments set status = 'STOPPED', updated_at = now()"
                  + " where client_id = :client and campaign_id = :id and status = 'PENDING'"
                  + " returning client_id, id) "
                  + TimelineStore.insertForEach(
                      "stopped",
                      "client_id",
                      "id",
                      TimelineEvent.STOPPED,
                      "'campaign stopped before it started'"))
          .param("client", clientId)
          .param("id", id)
          .update();
    }
    return new Transition(ChangeOutcome.CHANGED, CampaignStatus.STOPPED, started.get(), null);
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

  private Transition move(long clientId, long id, CampaignStatus from, CampaignStatus to) {
    int changed =
        jdbc.sql(
                "update campaigns set status = :to where client_id = :client and id = :id"
                    + " and status = :from")
            .param("client", clientId)
            .param("id", id)
            .param("from", from.name())
            .param("to", to.name())
            .update();
    if (changed == 1) {
      return new Transition(ChangeOutcome.CHANGED, to, true, null);
    }
    return current(clientId, id)
        .map(
            now -> {
              if (now.status() == to) {
                return new Transition(ChangeOutcome.UNCHANGED, to, now.started(), null);
              }
              return conflict(
                  now,
                  "a campaign in status "
                      + now.status()
                      + " cannot be "
                      + (to == CampaignStatus.PAUSED ? "paused" : "resumed")
                      + "; only a campaign in status "
                      + from
                      + " can");
            })
        .orElseGet(Transition::notFound);
  }

  private record Current(CampaignStatus status, boolean started) {}

  private Optional<Current> current(long clientId, long id) {
    return jdbc.sql(
            "select status, started_at is not null as started from campaigns"
                + " where client_id = :client and id = :id")
        .param("client", clientId)
        .param("id", id)
        .query(
            (rs, n) ->
                new Current(
                    CampaignStatus.valueOf(rs.getString("status")), rs.getBoolean("started")))
        .optional();
  }

  private static Transition conflict(Current now, String reason) {
    return new Transition(ChangeOutcome.CONFLICT, now.status(), now.started(), reason);
  }

  private static CampaignSummary summary(ResultSet rs) throws SQLException {
    return new CampaignSummary(
        rs.getLong("id"),
        rs.getString("name"),
        rs.getString("timezone"),
        CampaignStatus.valueOf(rs.getString("status")),
        instant(rs, "created_at"));
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
