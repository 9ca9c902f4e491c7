package dev.outbound.api.web;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * A value that may end up in a mail header or an SMTP command (addresses, names, subjects, template
 * variables): one line, with none of the characters that can break a header.
 *
 * <p>Refused: every control character (C0 including CR, LF, NUL and TAB, DEL, C1 including NEL),
 * the Unicode line and paragraph separators, and every character whose low byte is CR, LF or NUL
 * (U+xx0D, U+xx0A, U+xx00 above U+00FF). The last rule is CVE-2025-7962: Jakarta Mail before 2.0.2
 * and Angus Mail before 2.0.4 wrote some strings by keeping only the low byte of each UTF-16 unit,
 * so U+560D or U+760A became a raw CR or LF on the wire and could inject SMTP commands. Outbound
 * runs a fixed Angus Mail, but refusing these at the door keeps any other path (a library
 * downgrade, another mail library, a log line) safe too. The rule looks at UTF-16 units as the
 * flawed code did, so letters such as U+010A (Ċ) and a few emoji (whose low surrogate ends in 0A,
 * 0D or 00, e.g. U+1F60A) are refused as well; that is the price of a rule that does not depend on
 * the library.
 */
@Documented
@Constraint(validatedBy = HeaderSafe.Validator.class)
@Target({FIELD, METHOD, PARAMETER, RECORD_COMPONENT, TYPE_USE})
@Retention(RUNTIME)
public @interface HeaderSafe {

  String message() default
      "must be one line without control characters or characters that mail software can turn"
          + " into line breaks (CVE-2025-7962)";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  /** Checks strings; its static methods serve code that checks values by hand. */
  class Validator implements ConstraintValidator<HeaderSafe, CharSequence> {

    /** Whether {@code value} may go into a header; {@code null} is left to {@code @NotNull}. */
    public static boolean isSafe(CharSequence value) {
      if (value == null) {
        return true;
      }
      for (int i = 0; i < value.length(); i++) {
        if (!isSafe(value.charAt(i))) {
          return false;
        }
      }
      return true;
    }

    /** Whether one UTF-16 unit may go into a header. */
    public static boolean isSafe(char c) {
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
        return false;
      }
      int low = c & 0xff;
      return c <= 0xff || (low != 0x0a && low != 0x0d && low != 0x00);
    }

    @Override
    public boolean isValid(CharSequence value, ConstraintValidatorContext context) {
      return isSafe(value);
    }
  }
}
