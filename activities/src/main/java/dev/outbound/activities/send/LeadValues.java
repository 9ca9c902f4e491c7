package dev.outbound.activities.send;

import dev.outbound.crm.sequence.SendContext;
import java.util.HashMap;
import java.util.Map;

/**
 * The values a step's template can use: {@code firstName}, {@code lastName}, {@code company},
 * {@code email}, {@code timezone}, and every custom field both as {@code fields.key} and, unless
 * that name is taken, as bare {@code key}. The standard names always win, so an imported field
 * called {@code email} cannot change where {{email}} points.
 */
final class LeadValues {

  private LeadValues() {}

  static Map<String, String> of(SendContext.Lead lead) {
    Map<String, String> values = new HashMap<>();
    putIfPresent(values, "firstName", lead.firstName());
    putIfPresent(values, "lastName", lead.lastName());
    putIfPresent(values, "company", lead.company());
    putIfPresent(values, "email", lead.email());
    putIfPresent(values, "timezone", lead.timezone());
    lead.fields().forEach((key, value) -> values.put("fields." + key, value));
    lead.fields().forEach(values::putIfAbsent);
    return values;
  }

  private static void putIfPresent(Map<String, String> values, String key, String value) {
    if (value != null) {
      values.put(key, value);
    }
  }
}
