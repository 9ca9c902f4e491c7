package dev.outbound.api.web;

import dev.outbound.vocabulary.template.Template;
import dev.outbound.vocabulary.template.TemplateException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the field problems bean validation cannot express and throws them together, so a client
 * sees every mistake of a request at once.
 */
public final class Checks {

  /**
   * A practical email syntax: one {@code @}, no whitespace or control characters (so an address can
   * never smuggle a header line), a dot in the domain.
   */
  public static final String EMAIL = "^[^@\\s\\p{Cntrl}]+@[^@\\s\\p{Cntrl}]+\\.[^@\\s\\p{Cntrl}]+$";

  /**
   * Text that ends up in a mail header (names, subjects): no control characters such as CR or LF.
   */
  public static final String SINGLE_LINE = "^[^\\p{Cntrl}]*$";

  private final List<FieldProblem> errors = new ArrayList<>();

  public Checks timeZone(String field, String value) {
    if (value != null) {
      try {
        ZoneId.of(value);
      } catch (DateTimeException e) {
        errors.add(new FieldProblem(field, "is not a known time zone, e.g. Europe/Berlin"));
      }
    }
    return this;
  }

  /** An ISO-8601 duration such as {@code PT0S} or {@code P3D}, not negative. */
  public Checks delay(String field, String value) {
    if (value != null) {
      try {
        if (Duration.parse(value).isNegative()) {
          errors.add(new FieldProblem(field, "must not be negative"));
        }
      } catch (DateTimeParseException e) {
        errors.add(
            new FieldProblem(field, "is not an ISO-8601 duration such as PT0S, PT2H or P3D"));
      }
    }
    return this;
  }

  public Checks template(String field, String value) {
    if (value != null) {
      try {
        Template.parse(value);
      } catch (TemplateException e) {
        errors.add(new FieldProblem(field, "is not a valid template: " + e.getMessage()));
      }
    }
    return this;
  }

  public Checks add(String field, String message) {
    errors.add(new FieldProblem(field, message));
    return this;
  }

  public boolean ok() {
    return errors.isEmpty();
  }

  /** The problems found so far, in the order they were found. */
  public List<FieldProblem> problems() {
    return List.copyOf(errors);
  }

  /** Throws a 400 listing every problem found, if any. */
  public void throwIfAny() {
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
  }
}
