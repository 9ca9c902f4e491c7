package dev.outbound.crm.admin;

import java.util.Map;

/**
 * A correction of a lead's person; {@code null} leaves a value as it is, {@code fields} replaces
 * the whole map.
 */
public record LeadUpdate(
    String firstName,
    String lastName,
    String company,
    String timezone,
    String country,
    Map<String, String> fields) {

  /** A correction that leaves the country as it is. */
  public LeadUpdate(
      String firstName,
      String lastName,
      String company,
      String timezone,
      Map<String, String> fields) {
    this(firstName, lastName, company, timezone, null, fields);
  }
}
