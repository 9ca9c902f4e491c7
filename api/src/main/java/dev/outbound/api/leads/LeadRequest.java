package dev.outbound.api.leads;

import dev.outbound.api.web.Checks;
import dev.outbound.api.web.HeaderSafe;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * One lead of {@code POST /api/v1/campaigns/{id}/leads} and of a JSON lead import; {@link
 * LeadValidation} holds the checks beyond its annotations. {@code fields} are extra template
 * variables ({@code {{fields.role}}}); {@code timezone} overrides the campaign's for this lead;
 * {@code country} gives it public holidays.
 */
public record LeadRequest(
    @NotBlank @Size(max = 254) @Email(regexp = Checks.EMAIL) @HeaderSafe String email,
    @Size(max = 200) @HeaderSafe String firstName,
    @Size(max = 200) @HeaderSafe String lastName,
    @Size(max = 200) @HeaderSafe String company,
    @Size(max = 64) String timezone,
    @Schema(description = LeadRequest.COUNTRY, example = "DE") String country,
    @Size(max = 50)
        Map<@HeaderSafe @Size(max = 100) String, @HeaderSafe @Size(max = 2000) String> fields) {

  static final String COUNTRY =
      "ISO 3166-1 alpha-2 country code (any case, stored in upper case), for the public holidays"
          + " of campaigns that skip them. Only national holidays count; a country the holiday"
          + " tables do not cover has none.";
}
