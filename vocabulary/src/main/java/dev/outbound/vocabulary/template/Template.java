package dev.outbound.vocabulary.template;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * A step's subject or body: text with {@code {{name}}} variables and optional fallbacks {@code
 * {{name|fallback}}}. There is nothing else: no expressions, no method calls, no includes, so a
 * template cannot execute code. Values are passed through an escaper chosen by the caller (HTML
 * escaping for an HTML part, control-character stripping for a header).
 *
 * <p>Variable names are letters, digits, {@code _}, {@code -} and {@code .} (e.g. {@code
 * firstName}, {@code fields.role}). A value that is {@code null} or blank counts as missing: the
 * fallback is used, and without a fallback rendering fails with {@link MissingVariableException}
 * rather than sending a broken email.
 */
public final class Template {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");

  private sealed interface Part permits Text, Variable {}

  private record Text(String text) implements Part {}

  private record Variable(String name, String fallback) implements Part {}

  private final List<Part> parts;

  private Template(List<Part> parts) {
    this.parts = parts;
  }

  /**
   * Parses {@code source}.
   *
   * @throws TemplateException when a {@code {{} is not closed, a name is not valid, or braces nest
   */
  public static Template parse(String source) {
    if (source == null) {
      throw new TemplateException("template is missing");
    }
    List<Part> parts = new ArrayList<>();
    int at = 0;
    while (at < source.length()) {
      int open = source.indexOf("{{", at);
      if (open < 0) {
        parts.add(new Text(source.substring(at)));
        break;
      }
      if (open > at) {
        parts.add(new Text(source.substring(at, open)));
      }
      int close = source.indexOf("}}", open + 2);
      if (close < 0) {
        throw new TemplateException("'{{' at position " + open + " is not closed with '}}'");
      }
      String inside = source.substring(open + 2, close);
      if (inside.contains("{{")) {
        throw new TemplateException(
            "'{{' at position " + open + " is not closed before the next '{{'");
      }
      int bar = inside.indexOf('|');
      String name = (bar < 0 ? inside : inside.substring(0, bar)).trim();
      String fallback = bar < 0 ? null : inside.substring(bar + 1).trim();
      if (!NAME.matcher(name).matches()) {
        throw new TemplateException(
            "'{{"
                + inside
                + "}}' at position "
                + open
                + " is not a variable name like {{firstName}}");
      }
      parts.add(new Variable(name, fallback));
      at = close + 2;
    }
    return new Template(Collections.unmodifiableList(parts));
  }

  /** The variable names the template uses, in order of first use. */
  public Set<String> variables() {
    Set<String> names = new LinkedHashSet<>();
    for (Part part : parts) {
      if (part instanceof Variable v) {
        names.add(v.name());
      }
    }
    return names;
  }

  /**
   * Renders with {@code values}. Values and fallbacks go through {@code escaper}; the template's
   * own text does not (it is the author's).
   *
   * @throws MissingVariableException when a variable has no value and no fallback
   */
  public String render(Map<String, String> values, UnaryOperator<String> escaper) {
    StringBuilder out = new StringBuilder();
    for (Part part : parts) {
      if (part instanceof Text t) {
        out.append(t.text());
      } else if (part instanceof Variable v) {
        String value = values.get(v.name());
        if (value == null || value.isBlank()) {
          if (v.fallback() == null) {
            throw new MissingVariableException(v.name());
          }
          value = v.fallback();
        }
        out.append(escaper.apply(value));
      }
    }
    return out.toString();
  }

  /** Escapes text for an HTML body. */
  public static String escapeHtml(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (char c : value.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Makes a value safe for a header such as the subject: control characters (CR and LF above all,
   * which could inject headers) become spaces.
   */
  public static String stripControl(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (char c : value.toCharArray()) {
      out.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? ' ' : c);
    }
    return out.toString();
  }

  /** Leaves plain-text values as they are (a plain-text body cannot run anything). */
  public static String plain(String value) {
    return value;
  }
}
