package dev.outbound.activities.inbound;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the return date out of an out-of-office text: "I will be back on 12 January", "zurück am 5.
 * Januar", "de retour le 3 janvier", "de vuelta el 7 de enero", "terug op 8 januari", "back on
 * 02.01.2027", "2027-01-12", and so on in English, German, French, Spanish, Dutch, Italian and
 * Portuguese.
 *
 * <p>Every date in the text is a candidate. A date right after a return word ("back", "zurück",
 * "retour", "vuelta", "terug", "ritorno", "volta", ...) or right before one ("ab dem 5. Januar
 * wieder") wins; then one after an "until" word ("until", "bis", "jusqu'au", "hasta", "tot", "fino
 * al", "até"), which names the last day away; then any date, the latest first. Dates before the
 * message was written ("since 20 December") and more than {@link #HORIZON_DAYS} days after it are
 * ignored. A date without a year is the next such day on or after the message's date, unless that
 * is more than {@link #YEARLESS_HORIZON_DAYS} days away (then it was a day in the past). Numbers
 * are read day first (02.01.2027 is 2 January), unless only month first makes sense (01/13/2027).
 */
final class ReturnDates {

  /** An absence announced for longer than this is more likely a misread number than a date. */
  static final int HORIZON_DAYS = 400;

  /**
   * A date without a year that would lie further ahead than this is taken for a day in the past ("I
   * was away on 12 December", written on the 20th), not for a return almost a year later.
   */
  static final int YEARLESS_HORIZON_DAYS = 183;

  /**
   * Month names and abbreviations. Abbreviations that are also common words ("out", "set", "ago",
   * "gen", "mag") are left out: "I'll be out 2 weeks" is not the 2nd of October.
   */
  private static final Map<String, Integer> MONTHS = new LinkedHashMap<>();

  static {
    month(
        1, "january", "jan", "januar", "jänner", "jaenner", "janvier", "janv", "enero", "ene",
        "januari", "gennaio", "janeiro");
    month(
        2,
        "february",
        "feb",
        "februar",
        "février",
        "fevrier",
        "févr",
        "fevr",
        "fév",
        "febrero",
        "februari",
        "febbraio",
        "fevereiro",
        "fev");
    month(
        3, "march", "mar", "märz", "maerz", "mär", "mars", "marzo", "maart", "mrt", "março",
        "marco");
    month(4, "april", "apr", "avril", "avr", "abril", "abr", "aprile");
    month(5, "may", "mai", "mayo", "mei", "maggio", "maio");
    month(6, "june", "jun", "juni", "juin", "junio", "giugno", "junho");
    month(7, "july", "jul", "juli", "juillet", "juil", "julio", "luglio", "julho");
    month(8, "august", "aug", "août", "aout", "agosto", "augustus");
    month(
        9,
        "september",
        "sep",
        "sept",
        "septembre",
        "septiembre",
        "setiembre",
        "settembre",
        "setembro");
    month(10, "october", "oct", "oktober", "okt", "octobre", "octubre", "ottobre", "outubro");
    month(11, "november", "nov", "novembre", "noviembre", "novembro");
    month(
        12,
        "december",
        "dec",
        "dezember",
        "dez",
        "décembre",
        "decembre",
        "déc",
        "diciembre",
        "dic",
        "dicembre",
        "dezembro");
  }

  private static void month(int number, String... names) {
    for (String name : names) {
      MONTHS.put(name, number);
    }
  }

  /** Month names, longest first so that "januari" is not read as "jan" followed by "uari". */
  private static final String MONTH_NAMES =
      MONTHS.keySet().stream()
          .sorted(Comparator.comparingInt(String::length).reversed())
          .map(Pattern::quote)
          .reduce((a, b) -> a + "|" + b)
          .orElseThrow();

  private static final String NOT_LETTER = "(?![\\p{L}])";

  private static final Pattern ISO =
      Pattern.compile("(?<![\\d.])(20\\d{2})-(\\d{1,2})-(\\d{1,2})(?![\\d])");

  private static final Pattern NUMERIC =
      Pattern.compile("(?<![\\d.])(\\d{1,2})([./-])(\\d{1,2})\\2(\\d{4}|\\d{2})(?![\\d])");

  /** "02.01." or "2.1" without a year, as German and Dutch write it. */
  private static final Pattern NUMERIC_NO_YEAR =
      Pattern.compile("(?<![\\d.,/])(\\d{1,2})\\.(\\d{1,2})(?:\\.(?![\\d])|(?=[\\s,;:)!?]|$))");

  private static final Pattern DAY_MONTH =
      Pattern.compile(
          "(?<![\\d])(\\d{1,2})(?:st|nd|rd|th|er|e|º|°|o)?\\.?\\s*(?:de\\s+|of\\s+)?("
              + MONTH_NAMES
              + ")"
              + NOT_LETTER
              + "\\.?(?:,?\\s*(?:de\\s+)?(20\\d{2}))?");

  private static final Pattern MONTH_DAY =
      Pattern.compile(
          "(?<![\\p{L}])("
              + MONTH_NAMES
              + ")"
              + NOT_LETTER
              + "\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?![\\d])(?:,?\\s*(20\\d{2}))?");

  /**
   * Words after which a date is the day the sender is back. "From" words ("ab dem", "vanaf", "dal")
   * are not among them: "ab dem 20.12. nicht im Büro" names the first day away.
   */
  private static final Pattern RETURN_BEFORE =
      Pattern.compile(
          "(?:\\bback\\b|\\breturn|\\bin the office\\b|\\bavailable\\b|\\breachable\\b"
              + "|zurück|zurueck|\\bwieder\\b|retour|reviendrai|\\bde vuelta\\b"
              + "|regres|volver[ée]|\\bterug\\b|\\bweer\\b|ritorno|rientr"
              + "|\\bde volta\\b|regress|retorn|\\bdisponible|\\bdisponibile|\\bdisponível"
              + "|erreichbar|bereikbaar)");

  /** Words right after a date that make it the return day ("ab dem 5. Januar wieder"). */
  private static final Pattern RETURN_AFTER =
      Pattern.compile("^[\\s,.]*(?:\\S+\\s+){0,3}?(?:wieder|weer|zurück|terug|de retour)\\b");

  /** Words after which a date is the last day away. */
  private static final Pattern UNTIL_BEFORE =
      Pattern.compile(
          "(?:\\buntil\\b|\\btill\\b|\\bthrough\\b|\\bthru\\b|\\bbis\\b|jusqu|\\bau\\b|\\bhasta\\b"
              + "|\\btot\\b|t/m|\\bfino\\b|\\bal\\b|\\baté\\b|\\ba\\b|\\bto\\b|-)");

  private record Candidate(LocalDate date, int score, int position) {}

  private ReturnDates() {}

  /**
   * The return date in {@code text} (any case, any wrapping), judged from {@code written}, the day
   * the message was written in the sender's own offset.
   */
  static Optional<LocalDate> find(String text, LocalDate written) {
    String t = Text.normalise(text);
    List<Candidate> candidates = new ArrayList<>();
    scan(t, ISO, written, candidates, m -> dated(m.group(1), m.group(2), m.group(3)));
    scan(t, NUMERIC, written, candidates, m -> numeric(m.group(1), m.group(3), m.group(4), true));
    scan(
        t, NUMERIC_NO_YEAR, written, candidates, m -> numeric(m.group(1), m.group(2), null, false));
    scan(t, DAY_MONTH, written, candidates, m -> named(m.group(1), m.group(2), m.group(3)));
    scan(t, MONTH_DAY, written, candidates, m -> named(m.group(2), m.group(1), m.group(3)));
    return candidates.stream()
        .max(
            Comparator.comparingInt(Candidate::score)
                .thenComparing(Candidate::date)
                .thenComparingInt(Candidate::position))
        .map(Candidate::date);
  }

  /** A date as read: year may be null (not written). */
  private record Parsed(int year, int month, int day) {}

  private interface Reader {
    Parsed read(Matcher m);
  }

  private static void scan(
      String text, Pattern pattern, LocalDate written, List<Candidate> out, Reader reader) {
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      Parsed parsed = reader.read(m);
      if (parsed == null) {
        continue;
      }
      LocalDate date = resolve(parsed, written);
      int horizon = parsed.year() > 0 ? HORIZON_DAYS : YEARLESS_HORIZON_DAYS;
      if (date == null || date.isBefore(written) || date.isAfter(written.plusDays(horizon))) {
        continue;
      }
      out.add(new Candidate(date, score(text, m.start(), m.end()), m.start()));
    }
  }

  private static int score(String text, int start, int end) {
    String before = text.substring(Math.max(0, start - 60), start);
    String after = text.substring(end, Math.min(text.length(), end + 40));
    String near = text.substring(Math.max(0, start - 12), start);
    // A sentence break between a return word and the date separates them.
    int stop =
        Math.max(
            before.lastIndexOf(". "), Math.max(before.lastIndexOf("! "), before.lastIndexOf("? ")));
    if (stop >= 0) {
      before = before.substring(stop + 2);
    }
    if (RETURN_BEFORE.matcher(before).find() || RETURN_AFTER.matcher(after).find()) {
      return 3;
    }
    if (UNTIL_BEFORE.matcher(near).find()) {
      return 2;
    }
    return 1;
  }

  private static LocalDate resolve(Parsed parsed, LocalDate written) {
    try {
      if (parsed.year() > 0) {
        return LocalDate.of(parsed.year(), parsed.month(), parsed.day());
      }
      LocalDate date = null;
      // The next such day on or after the message: "back on 3 January" written in December.
      for (int year = written.getYear(); year <= written.getYear() + 1; year++) {
        try {
          date = LocalDate.of(year, parsed.month(), parsed.day());
        } catch (DateTimeException e) {
          continue; // 29 February of a year that has none
        }
        if (!date.isBefore(written)) {
          return date;
        }
      }
      return date;
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static Parsed dated(String year, String month, String day) {
    return new Parsed(Integer.parseInt(year), Integer.parseInt(month), Integer.parseInt(day));
  }

  /**
   * Day first; month first only when {@code monthFirstPossible} and the day-first reading cannot be
   * a date (01/13/2027). Dotted dates without a year are always day first: "10.30" is a time, not
   * the 30th of October.
   */
  private static Parsed numeric(
      String first, String second, String year, boolean monthFirstPossible) {
    int a = Integer.parseInt(first);
    int b = Integer.parseInt(second);
    int y = year == null ? 0 : Integer.parseInt(year);
    if (year != null && year.length() == 2) {
      y += 2000;
    }
    if (monthFirstPossible && b > 12 && a <= 12) {
      // Only month first makes sense (US style).
      return new Parsed(y, a, b);
    }
    return new Parsed(y, b, a);
  }

  private static Parsed named(String day, String monthName, String year) {
    Integer month = MONTHS.get(monthName);
    if (month == null) {
      return null;
    }
    return new Parsed(year == null ? 0 : Integer.parseInt(year), month, Integer.parseInt(day));
  }
}
