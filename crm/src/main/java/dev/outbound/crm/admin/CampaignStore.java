package dev.outbound.crm.admin;

import dev.outbound.vocabulary.schedule.SendWindow;
import dev.outbound.vocabulary.status.CampaignStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * A client's campaigns as they are defined: creation with steps (and their A/B variants), send
 * window, domain limit and mailbox pool, and reading them back. Their status transitions are {@link
 * CampaignTransitionStore}'s, their counts {@link CampaignCountStore}'s.
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
                      Rows.instant(rs, "created_at"),
                      Rows.instant(rs, "started_at"),
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

  private static CampaignSummary summary(ResultSet rs) throws SQLException {
    return new CampaignSummary(
        rs.getLong("id"),
        rs.getString("name"),
        rs.getString("timezone"),
        CampaignStatus.valueOf(rs.getString("status")),
        Rows.instant(rs, "created_at"));
  }
}
