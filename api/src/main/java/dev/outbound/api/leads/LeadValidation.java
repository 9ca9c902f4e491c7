package dev.outbound.api.leads;

import dev.outbound.api.web.Checks;
import dev.outbound.api.web.FieldProblem;
import dev.outbound.crm.admin.LeadStore;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules a lead must meet, in one place for every way leads come in ({@code POST .../leads},
 * {@code PATCH /api/v1/leads/{id}} and the CSV and JSON imports), so that they all accept and
 * refuse the same leads.
 */
public final class LeadValidation {

  /** ISO 3166-1 alpha-2 codes, the form the database keeps a lead's country in. */
  private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

  /** The name of an extra field, usable as a template variable ({@code {{fields.role}}}). */
  public static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,63}");

  /** The most extra fields a lead may have (as {@link LeadRequest} says). */
  public static final int MAX_FIELDS = 50;

  /** The longest value of an extra field. */
  public static final int MAX_FIELD_VALUE = 2000;

  /**
   * Characters that would end a mail header line or the string, should a field reach a header
   * through a template (e.g. a subject with {@code {{fields.role}}}).
   */
  private static final Pattern HEADER_BREAK = Pattern.compile("[\\r\\n\\x00]");

  private LeadValidation() {}

  /**
   * Every problem of one lead, with field names relative to the lead ({@code email}, {@code
   * fields.role}); empty when the lead is valid.
   */
  public static List<FieldProblem> problems(Validator validator, LeadRequest lead) {
    Checks checks = new Checks();
    for (ConstraintViolation<LeadRequest> v : validator.validate(lead)) {
      checks.add(fieldName(v.getPropertyPath().toString()), v.getMessage());
    }
    checkLeadData(checks, "", lead.timezone(), lead.country(), lead.fields());
    // The annotations and the checks above may both refuse one value; one problem per field.
    java.util.Set<String> seen = new java.util.HashSet<>();
    return checks.problems().stream().filter(p -> seen.add(p.field())).toList();
  }

  /**
   * A violation's path as the API names fields: a map value {@code fields[role].<map value>} is
   * {@code fields.role}, a map key {@code fields<K>[role].<map key>} is {@code fields}.
   */
  static String fieldName(String path) {
    java.util.regex.Matcher value = Pattern.compile("^(\\w+)\\[(.*)]\\.<map value>$").matcher(path);
    if (value.matches()) {
      return value.group(1) + "." + value.group(2);
    }
    java.util.regex.Matcher key = Pattern.compile("^(\\w+)<K>\\[.*]\\.<map key>$").matcher(path);
    if (key.matches()) {
      return key.group(1);
    }
    return path;
  }

  /**
   * The checks of a lead's time zone, country and extra fields; {@code prefix} leads each field
   * name.
   */
  static void checkLeadData(
      Checks checks, String prefix, String timezone, String country, Map<String, String> fields) {
    checks.timeZone(prefix + "timezone", timezone);
    if (country != null && !COUNTRIES.contains(country(country))) {
      checks.add(
          prefix + "country",
          "'" + country + "' is not an ISO 3166-1 alpha-2 country code, e.g. DE, FR or US");
    }
    if (fields != null) {
      for (Map.Entry<String, String> f : fields.entrySet()) {
        if (f.getKey() == null || !FIELD_NAME.matcher(f.getKey()).matches()) {
          checks.add(
              prefix + "fields",
              "'" + f.getKey() + "' is not a field name (letters, digits, '_' and '-')");
        } else if (f.getValue() != null && f.getValue().length() > MAX_FIELD_VALUE) {
          checks.add(
              prefix + "fields." + f.getKey(),
              "must be at most " + MAX_FIELD_VALUE + " characters");
        } else if (f.getValue() != null && HEADER_BREAK.matcher(f.getValue()).find()) {
          checks.add(prefix + "fields." + f.getKey(), "must not contain CR, LF or NUL");
        }
      }
    }
  }

  /** A country code as stored: upper case, without surrounding blanks; null stays null. */
  public static String country(String code) {
    return code == null ? null : code.strip().toUpperCase(Locale.ROOT);
  }

  /** A valid lead as the store takes it. */
  public static LeadStore.NewLead toNewLead(LeadRequest l) {
    return new LeadStore.NewLead(
        l.email(),
        l.firstName(),
        l.lastName(),
        l.company(),
        l.timezone(),
        country(l.country()),
        l.fields() == null ? Map.of() : l.fields());
  }

  /** The problems with {@code prefix} before each field name. */
  static List<FieldProblem> prefixed(String prefix, List<FieldProblem> problems) {
    List<FieldProblem> out = new ArrayList<>(problems.size());
    problems.forEach(p -> out.add(new FieldProblem(prefix + p.field(), p.message())));
    return out;
  }
}
