package dev.outbound.vocabulary.json;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.Map;

/**
 * The little JSON Outbound writes by hand: string literals and flat objects of strings, for {@code
 * jsonb} columns, for passing a batch of rows to PostgreSQL as one parameter, and for the operator
 * alert. The escaping is Jackson's; the builders only add quotes, commas and braces, so a batch of
 * 100,000 rows is written into one buffer without a tree of objects.
 */
public final class Json {

  private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

  private Json() {}

  /** Appends {@code value} as a JSON string literal ({@code null} as the literal null). */
  public static void string(StringBuilder out, String value) {
    if (value == null) {
      out.append("null");
      return;
    }
    out.append('"');
    ENCODER.quoteAsString(value, out);
    out.append('"');
  }

  /** {@code value} as a JSON string literal; {@code value} must not be null. */
  public static String string(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2);
    string(out, value);
    return out.toString();
  }

  /**
   * Appends {@code ,"name":value} to an object being written: a further member after the first,
   * {@code value} a string literal or null.
   */
  public static void member(StringBuilder out, String name, String value) {
    out.append(',');
    string(out, name);
    out.append(':');
    string(out, value);
  }

  /** Appends an object whose members are the entries of {@code values}, in their order. */
  public static void object(StringBuilder out, Map<String, String> values) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      string(out, e.getKey());
      out.append(':');
      string(out, e.getValue());
    }
    out.append('}');
  }

  /** The object of {@code values}; {@code null} is the empty object. */
  public static String object(Map<String, String> values) {
    StringBuilder out = new StringBuilder();
    object(out, values == null ? Map.of() : values);
    return out.toString();
  }
}
