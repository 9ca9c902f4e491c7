package dev.outbound.api.leads;

import dev.outbound.api.web.HeaderSafe;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * {@code PATCH /api/v1/leads/{id}}: corrects a lead's data, e.g. a missing variable that held it. A
 * value left out (or {@code null}) stays as it is; {@code fields} replaces the whole map. The same
 * rules as when leads are added.
 */
@Schema(
    description =
        "Corrects the lead's person. Absent or null values stay as they are; 'fields' replaces the"
            + " whole map. The person is shared by their enrolments in other campaigns of this"
            + " client, which see the change too.")
record LeadPatch(
    @Size(max = 200) @HeaderSafe String firstName,
    @Size(max = 200) @HeaderSafe String lastName,
    @Size(max = 200) @HeaderSafe String company,
    @Size(max = 64) String timezone,
    @Schema(description = LeadRequest.COUNTRY, example = "DE") String country,
    @Schema(description = "Replaces all extra fields when given.") @Size(max = 50)
        Map<@HeaderSafe @Size(max = 100) String, @HeaderSafe @Size(max = 2000) String> fields) {}
