package dev.outbound.crm.admin;

import java.util.Map;

/**
 * The little JSON the stores write themselves: objects of strings, for {@code jsonb} columns and
 * for passing a batch of rows to PostgreSQL as one parameter. Kept here so the crm module needs no
 * JSON library.
 */
public final class Json {

  private Json() {}

  public static void string(StringBuilder out, String value) {
    if (value == null) {
      out.append("null");
      return;
    }
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

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

  public static String object(Map<String, String> values) {
    StringBuilder out = new StringBuilder();
    object(out, values == null ? Map.of() : values);
    return out.toString();
  }
}
