package dev.outbound.api.imports;

import dev.outbound.api.leads.LeadRequest;
import dev.outbound.api.leads.LeadValidation;
import dev.outbound.api.web.FieldProblem;
import dev.outbound.api.web.InvalidRequestException;
import dev.outbound.crm.imports.ImportFormat;
import dev.outbound.crm.imports.RowRejection;
import dev.outbound.crm.imports.StagedLead;
import jakarta.validation.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns an upload into checked rows: each row is checked with the rules of {@code POST .../leads}
 * ({@link LeadValidation}) and against the rows before it (the same address twice, in any case);
 * rows that fail are rejected with their position, the field and the reason, and the rest are
 * staged. A problem with the upload as a whole (not CSV or JSON, no email column, more rows than
 * allowed) fails it with 400 or 413 instead.
 */
final class UploadParser {

  /**
   * A checked upload.
   *
   * @param totalRows rows in the upload (empty lines not counted)
   */
  record Parsed(
      ImportFormat format, int totalRows, List<StagedLead> staged, List<RowRejection> rejections) {}

  private final Validator validator;
  private final ObjectReader leadReader;
  private final ObjectReader nodeReader;
  private final JsonMapper json;
  private final int maxRows;

  UploadParser(Validator validator, JsonMapper json, int maxRows) {
    this.validator = validator;
    this.json = json;
    // Unknown fields are refused per row, so a typo ("fristName") cannot silently drop a value.
    this.leadReader =
        json.readerFor(LeadRequest.class).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    // One element at a time: what follows an element is the rest of the array, not trailing text.
    this.nodeReader =
        json.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    this.maxRows = maxRows;
  }

  /**
   * Reads a CSV upload whose first record is the header.
   *
   * @param mapping explicit column mappings, each {@code <column>:<target>} (see {@link
   *     CsvColumns})
   */
  Parsed csv(Reader reader, List<String> mapping) throws IOException {
    CsvReader csv = new CsvReader(reader);
    CsvReader.Row header;
    try {
      header = csv.next();
      while (header != null && header.blank()) {
        header = csv.next();
      }
      if (header == null) {
        throw new InvalidRequestException(
            "", "the upload is empty: the first line must be a header such as email,first_name");
      }
      CsvColumns columns = CsvColumns.of(header.values(), mapping);
      Collector rows = new Collector(ImportFormat.CSV, columns::label);
      for (CsvReader.Row row = csv.next(); row != null; row = csv.next()) {
        if (row.blank()) {
          continue;
        }
        rows.count();
        if (row.values().size() != columns.size()) {
          rows.reject(
              row.line(),
              "",
              "has "
                  + row.values().size()
                  + " values but the header has "
                  + columns.size()
                  + " columns");
          continue;
        }
        rows.check(row.line(), columns.lead(row.values()));
      }
      return rows.result();
    } catch (CsvReader.CsvFormatException e) {
      throw new InvalidRequestException("", "is not valid CSV: " + e.getMessage());
    }
  }

  /** Reads a JSON array of lead objects, as {@code POST .../leads} takes them. */
  Parsed json(InputStream in) {
    Collector rows = new Collector(ImportFormat.JSON, UnaryOperator.identity());
    try (JsonParser p = json.createParser(in)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new InvalidRequestException("", "must be a JSON array of leads");
      }
      int index = 0;
      while (true) {
        JsonToken token = p.nextToken();
        if (token == JsonToken.END_ARRAY) {
          break;
        }
        if (token == null) {
          throw new InvalidRequestException("", "is not valid JSON: the array is not closed");
        }
        JsonNode node = nodeReader.readValue(p);
        int position = index++;
        rows.count();
        if (node == null || !node.isObject()) {
          rows.reject(position, "", "must be a lead object");
          continue;
        }
        LeadRequest lead;
        try {
          lead = leadReader.readValue(node);
        } catch (DatabindException e) {
          rows.reject(position, path(e), reason(e));
          continue;
        }
        rows.check(position, lead);
      }
      if (p.nextToken() != null) {
        throw new InvalidRequestException("", "is not valid JSON: there is text after the array");
      }
      return rows.result();
    } catch (StreamReadException e) {
      var where = e.getLocation();
      throw new InvalidRequestException(
          "",
          "is not valid JSON"
              + (where == null
                  ? ""
                  : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")"));
    } catch (JacksonException e) {
      // A failure of the body's stream (e.g. it is too large) reaches us wrapped.
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof UploadTooLargeException tooLarge) {
          throw tooLarge;
        }
      }
      throw e;
    }
  }

  /** The JSON path of a field that could not be read, e.g. {@code fields.role}. */
  private static String path(DatabindException e) {
    StringBuilder out = new StringBuilder();
    for (JacksonException.Reference r : e.getPath()) {
      if (r.getPropertyName() != null) {
        if (!out.isEmpty()) {
          out.append('.');
        }
        out.append(r.getPropertyName());
      }
    }
    return out.toString();
  }

  private static String reason(DatabindException e) {
    return e instanceof UnrecognizedPropertyException
        ? "is not a lead field (email, firstName, lastName, company, timezone, country, fields)"
        : "has the wrong type";
  }

  /** Collects the rows of one upload: counts them, checks them, stages or rejects each. */
  private final class Collector {

    private final ImportFormat format;
    private final UnaryOperator<String> label;
    private final Map<String, Integer> firstByAddress = new HashMap<>();
    private final List<StagedLead> staged = new ArrayList<>();
    private final List<RowRejection> rejections = new ArrayList<>();
    private int rows;

    Collector(ImportFormat format, UnaryOperator<String> label) {
      this.format = format;
      this.label = label;
    }

    /** Counts one more row; refuses the upload when it has too many. */
    void count() {
      if (++rows > maxRows) {
        throw UploadTooLargeException.rows(maxRows);
      }
    }

    void reject(int position, String field, String reason) {
      rejections.add(new RowRejection(position, label.apply(field), reason));
    }

    void check(int position, LeadRequest lead) {
      List<FieldProblem> problems = LeadValidation.problems(validator, lead);
      if (!problems.isEmpty()) {
        problems.forEach(p -> reject(position, p.field(), p.message()));
        return;
      }
      // PostgreSQL's lower() and Java's agree on the addresses the syntax check lets through
      // closely enough; the store checks again with lower() in any case.
      Integer first = firstByAddress.putIfAbsent(lead.email().toLowerCase(Locale.ROOT), position);
      if (first != null) {
        reject(position, "email", "duplicate: the same email address is " + format.where(first));
        return;
      }
      staged.add(new StagedLead(position, LeadValidation.toNewLead(lead)));
    }

    Parsed result() {
      return new Parsed(format, rows, staged, rejections);
    }
  }

  /**
   * How the columns of a CSV header map to lead fields. A column is matched by name, ignoring case,
   * spaces, '_' and '-' ({@code email}, {@code first_name} or {@code First Name}, {@code
   * last_name}, {@code company}, {@code timezone}, {@code country}); any other column becomes an
   * extra field of that name. An explicit mapping {@code <column>:<target>} overrides this, where
   * the target is one of those fields, {@code fields.<name>}, or {@code -} to ignore the column.
   */
  static final class CsvColumns {

    private static final Map<String, String> STANDARD =
        Map.of(
            "email", "email",
            "firstname", "firstName",
            "lastname", "lastName",
            "company", "company",
            "timezone", "timezone",
            "country", "country");

    private static final String IGNORE = "-";

    /** The target of each column: a standard field, {@code fields.<name>} or {@link #IGNORE}. */
    private final List<String> targets;

    /** The column that fills each target, for reasons that name what the file calls it. */
    private final Map<String, String> columnOf;

    private CsvColumns(List<String> targets, Map<String, String> columnOf) {
      this.targets = targets;
      this.columnOf = columnOf;
    }

    static CsvColumns of(List<String> header, List<String> mapping) {
      List<FieldProblem> problems = new ArrayList<>();
      Map<String, String> explicit = new LinkedHashMap<>();
      for (String m : mapping == null ? List.<String>of() : mapping) {
        int colon = m.lastIndexOf(':');
        String column = colon < 0 ? "" : m.substring(0, colon).strip();
        String target = colon < 0 ? null : target(m.substring(colon + 1).strip());
        if (column.isEmpty() || target == null) {
          problems.add(
              new FieldProblem(
                  "map",
                  "'"
                      + m
                      + "' is not <column>:<target> with a target of email, firstName,"
                      + " lastName, company, timezone, country, fields.<name> or - (ignore)"));
        } else if (!header.stream().map(String::strip).toList().contains(column)) {
          problems.add(new FieldProblem("map", "the header has no column '" + column + "'"));
        } else {
          explicit.put(column, target);
        }
      }
      List<String> targets = new ArrayList<>();
      Map<String, String> columnOf = new HashMap<>();
      int fields = 0;
      for (int i = 0; i < header.size(); i++) {
        String name = header.get(i).strip();
        String target = explicit.get(name);
        if (target == null) {
          if (name.isEmpty()) {
            problems.add(
                new FieldProblem(
                    "header", "column " + (i + 1) + " has no name; name it or remove it"));
            targets.add(IGNORE);
            continue;
          }
          target = STANDARD.get(normal(name));
          if (target == null) {
            if (!LeadValidation.FIELD_NAME.matcher(name).matches()) {
              problems.add(
                  new FieldProblem(
                      "header",
                      "column '"
                          + name
                          + "' is not a field name (letters, digits, '_' and '-'); rename it or"
                          + " map it with map="
                          + name
                          + ":fields.<name> or map="
                          + name
                          + ":-"));
              targets.add(IGNORE);
              continue;
            }
            target = "fields." + name;
          }
        }
        if (!target.equals(IGNORE) && columnOf.putIfAbsent(target, name) != null) {
          problems.add(
              new FieldProblem(
                  "header",
                  "columns '"
                      + columnOf.get(target)
                      + "' and '"
                      + name
                      + "' both fill "
                      + target
                      + "; map one of them elsewhere or ignore it with map=<column>:-"));
        }
        if (target.startsWith("fields.")) {
          fields++;
        }
        targets.add(target);
      }
      if (!columnOf.containsKey("email")) {
        problems.add(
            new FieldProblem(
                "header",
                "has no email column; name one 'email' or map one with map=<column>:email"));
      }
      if (fields > LeadValidation.MAX_FIELDS) {
        problems.add(
            new FieldProblem(
                "header",
                "has "
                    + fields
                    + " extra-field columns; a lead takes at most "
                    + LeadValidation.MAX_FIELDS
                    + " (ignore some with map=<column>:-)"));
      }
      if (!problems.isEmpty()) {
        throw new InvalidRequestException(problems);
      }
      return new CsvColumns(List.copyOf(targets), Map.copyOf(columnOf));
    }

    int size() {
      return targets.size();
    }

    /** A row as the lead it describes; a blank value counts as absent. */
    LeadRequest lead(List<String> values) {
      Map<String, String> standard = new HashMap<>();
      Map<String, String> fields = new LinkedHashMap<>();
      for (int i = 0; i < targets.size(); i++) {
        String target = targets.get(i);
        String value = values.get(i).strip();
        if (target.equals(IGNORE) || value.isEmpty()) {
          continue;
        }
        if (target.startsWith("fields.")) {
          fields.put(target.substring("fields.".length()), value);
        } else {
          standard.put(target, value);
        }
      }
      return new LeadRequest(
          standard.get("email"),
          standard.get("firstName"),
          standard.get("lastName"),
          standard.get("company"),
          standard.get("timezone"),
          standard.get("country"),
          fields.isEmpty() ? null : fields);
    }

    /** The column name for a field a reason is about, e.g. {@code first_name} for firstName. */
    String label(String field) {
      return columnOf.getOrDefault(field, field);
    }

    /** A mapping's target in its canonical form, or null when it is not one. */
    private static String target(String target) {
      if (target.equals(IGNORE)) {
        return IGNORE;
      }
      if (target.startsWith("fields.")) {
        String name = target.substring("fields.".length());
        return LeadValidation.FIELD_NAME.matcher(name).matches() ? target : null;
      }
      return STANDARD.get(normal(target));
    }

    private static String normal(String name) {
      return name.toLowerCase(Locale.ROOT).replace(" ", "").replace("_", "").replace("-", "");
    }
  }
}
