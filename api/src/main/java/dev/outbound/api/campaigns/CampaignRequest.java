package dev.outbound.api.campaigns;

import dev.outbound.api.web.Checks;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
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
 * start).
 */
record CampaignRequest(
    @NotBlank @Size(max = 200) @Pattern(regexp = Checks.SINGLE_LINE, message = "must be one line")
        String name,
    @NotBlank @Size(max = 64) String timezone,
    @NotEmpty @Size(max = 100) List<@NotNull @Positive Long> mailboxIds,
    @NotEmpty @Size(max = 50) List<@NotNull @Valid Step> steps) {

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
          @Pattern(regexp = Checks.SINGLE_LINE, message = "must be one line")
          String subject,
      @NotBlank @Size(max = 100_000) String body) {}
}
