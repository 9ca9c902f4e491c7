package dev.outbound.activities.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.outbound.crm.sequence.SendContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeadValuesTest {

  @Test
  void offersTheStandardValuesAndEveryFieldWithAndWithoutItsPrefix() {
    var lead =
        new SendContext.Lead(
            "ada@example.test", "Ada", null, "Engines", "Europe/London", Map.of("role", "CTO"));

    assertThat(LeadValues.of(lead))
        .containsOnly(
            entry("email", "ada@example.test"),
            entry("firstName", "Ada"),
            entry("company", "Engines"),
            entry("timezone", "Europe/London"),
            entry("fields.role", "CTO"),
            entry("role", "CTO"));
  }

  @Test
  void neverLetsAFieldShadowAStandardValue() {
    var lead =
        new SendContext.Lead(
            "ada@example.test", "Ada", "L", "E", null, Map.of("email", "other@example.test"));

    assertThat(LeadValues.of(lead))
        .containsEntry("email", "ada@example.test")
        .containsEntry("fields.email", "other@example.test");
  }
}
