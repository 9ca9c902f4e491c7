package dev.outbound.api.campaigns;

import dev.outbound.api.web.HeaderSafe;
import dev.outbound.crm.admin.CampaignStore;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * {@code POST /api/v1/campaigns}. {@code timezone} is the campaign's default for leads without one;
 * each step's {@code delay} is an ISO-8601 duration after the previous step (the first: after the
 * start). {@code sendWindow} and {@code domainHourlyLimit} are optional: without them the campaign
 * sends at any time and to any domain as fast as its mailboxes allow.
 */
record CampaignRequest(
    @NotBlank @Size(max = 200) @HeaderSafe String name,
    @NotBlank @Size(max = 64) String timezone,
    @NotEmpty @Size(max = 100) List<@NotNull @Positive Long> mailboxIds,
    @NotEmpty @Size(max = 50) List<@NotNull @Valid Step> steps,
    @Schema(
            description =
                "When emails may go out, on the wall clock of each lead's time zone (the"
                    + " campaign's timezone for leads without one). Absent: at any time. A step"
                    + " that falls due outside the window waits for its next opening.")
        @Valid
        SendWindowRequest sendWindow,
    @Schema(
            description =
                "At most this many emails of this client to one recipient domain (the part after"
                    + " '@') in any rolling hour, over all its campaigns and mailboxes. Absent: no"
                    + " limit.",
            example = "20")
        @Positive
        @Max(MAX_DOMAIN_HOURLY_LIMIT)
        Integer domainHourlyLimit,
    @Schema(
            description =
                "When a lead replies, stop the campaign's other leads at the same company domain"
                    + " (their status becomes STOPPED). Free-mail domains such as gmail.com never"
                    + " count as a company. Absent: false.")
        Boolean stopCompanyOnReply) {

  /** The highest per-domain hourly limit accepted; above it the limit would mean nothing. */
  static final int MAX_DOMAIN_HOURLY_LIMIT = 10_000;

  /**
   * One step. {@code subject} is required for the first step; a later step without one is sent as a
   * reply in the same thread, "Re: " and the first step's subject.
   */
  record Step(
      @NotBlank @Size(max = 64) String delay,
      @Schema(
              description =
                  "Required for the first step. Blank or absent for a later step: it goes out as"
                      + " a reply in the same thread, 'Re: ' + the first step's subject.")
          @Size(max = 998)
          @HeaderSafe
          String subject,
      @NotBlank @Size(max = 100_000) String body,
      @Schema(
              description =
                  "A/B variants beside the step's own subject and body (which are variant A),"
                      + " stored as B, C, ... in this order. Each lead gets one variant per step,"
                      + " chosen from its lead ID: spread evenly, the same on every retry. Subjects"
                      + " follow the step's rules (required on the first step).")
          @Size(max = CampaignStore.MAX_VARIANTS)
          List<@NotNull @Valid Variant> variants) {}

  /** An A/B variant of a step's subject and body. */
  record Variant(
      @Schema(
              description =
                  "Required on the first step. Blank or absent on a later step: this variant"
                      + " goes out as a reply, 'Re: ' + the subject of the lead's first email.")
          @Size(max = 998)
          @HeaderSafe
          String subject,
      @NotBlank @Size(max = 100_000) String body) {}

  /** The send window: days of the week and hours, in the lead's zone. */
  @Schema(description = "Days and hours in which emails may go out, in each lead's time zone.")
  record SendWindowRequest(
      @ArraySchema(
              arraySchema =
                  @Schema(
                      description =
                          "Days of the week on which the window opens, each at most once: MON,"
                              + " TUE, WED, THU, FRI, SAT, SUN (any case)."),
              schema = @Schema(example = "MON"))
          @NotEmpty
          @Size(max = 7)
          List<@NotNull String> days,
      @Schema(description = "Local opening time, HH:mm (inclusive).", example = "09:00")
          @NotBlank
          @Pattern(regexp = TIME, message = "must be a time of day as HH:mm, e.g. 09:00")
          String start,
      @Schema(
              description =
                  "Local closing time, HH:mm (exclusive), after start: a window does not span"
                      + " midnight.",
              example = "17:00")
          @NotBlank
          @Pattern(regexp = TIME, message = "must be a time of day as HH:mm, e.g. 17:00")
          String end,
      @Schema(
              description =
                  "Skip the national public holidays of the lead's country (leads without a"
                      + " country have none). Default false.")
          Boolean skipHolidays) {

    /** A 24-hour time of day, hours and minutes. */
    static final String TIME = "^([01][0-9]|2[0-3]):[0-5][0-9]$";
  }
}
