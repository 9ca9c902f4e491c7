package dev.outbound.vocabulary.schedule;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A campaign's send window: the days of the week and the hours (from {@code start}, inclusive, to
 * {@code end}, exclusive) in which an email may go out, read on the wall clock of the lead's time
 * zone, optionally without the public holidays of the lead's country.
 *
 * <p>The window is a rule about wall-clock time: an instant is inside it when, in the lead's zone,
 * its date is an allowed day (and not a skipped holiday) and its local time is in {@code [start,
 * end)}. Daylight-saving changes follow from that rule. On a spring-forward day a local opening
 * time that does not exist (02:30 when clocks jump from 02:00 to 03:00) opens the window at the
 * jump, the first instant whose local time is past it. On a fall-back day local times between the
 * two offsets happen twice, and so can the window's edges: an opening at 02:30 opens at the first
 * 02:30, and a window whose end falls in the repeated hour is open again while the repeated local
 * times are inside it.
 *
 * @param days the days of the week on which the window opens; not empty
 * @param start the local time at which the window opens each allowed day
 * @param end the local time at which it closes, after {@code start} (a window does not span
 *     midnight)
 * @param skipHolidays whether the lead country's public holidays are closed days
 */
public record SendWindow(
    Set<DayOfWeek> days, LocalTime start, LocalTime end, boolean skipHolidays) {

  /** How far ahead {@link #nextOpening} looks before it gives up. */
  public static final int SEARCH_DAYS = 366;

  /** The window's validation; messages are meant for API problem details, as they are. */
  public SendWindow {
    if (days == null || days.isEmpty()) {
      throw new IllegalArgumentException("the send window needs at least one day of the week");
    }
    if (start == null || end == null) {
      throw new IllegalArgumentException("the send window needs a start and an end time");
    }
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException(
          "the send window's end (" + end + ") must be after its start (" + start + ")");
    }
    days = Collections.unmodifiableSet(EnumSet.copyOf(days));
  }

  /** A window from the database's or the API's form of the days (see {@link #parseDays}). */
  public static SendWindow of(String days, LocalTime start, LocalTime end, boolean skipHolidays) {
    return new SendWindow(parseDays(days), start, end, skipHolidays);
  }

  /**
   * Parses a list of days such as {@code "MON,TUE,WED"}: three-letter English day names, any case,
   * separated by commas, spaces around them ignored, each at most once.
   *
   * @throws IllegalArgumentException naming the offending entry
   */
  public static Set<DayOfWeek> parseDays(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("the send window needs at least one day of the week");
    }
    EnumSet<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String part : text.split(",", -1)) {
      String name = part.trim().toUpperCase(Locale.ROOT);
      DayOfWeek day = null;
      for (DayOfWeek candidate : DayOfWeek.values()) {
        if (candidate.name().substring(0, 3).equals(name)) {
          day = candidate;
        }
      }
      if (day == null) {
        throw new IllegalArgumentException(
            "unknown day '"
                + part.trim()
                + "' in the send window; use MON, TUE, WED, THU, FRI, SAT or SUN");
      }
      if (!days.add(day)) {
        throw new IllegalArgumentException(
            "the day " + name + " appears more than once in the send window");
      }
    }
    return days;
  }

  /**
   * The days as the database column and the API hold them: Monday first, upper case, e.g. {@code
   * "MON,TUE,WED,THU,FRI"}. {@link #parseDays} reads it back.
   */
  public static String formatDays(Set<DayOfWeek> days) {
    StringJoiner joined = new StringJoiner(",");
    for (DayOfWeek day : EnumSet.copyOf(days)) {
      joined.add(day.name().substring(0, 3));
    }
    return joined.toString();
  }

  /** {@link #formatDays} of this window's days. */
  public String daysText() {
    return formatDays(days);
  }

  /**
   * Whether the window is open at {@code at} in {@code zone}, with the holidays of {@code country}
   * (ISO 3166-1 alpha-2; null or unknown means none) skipped when the window says so.
   */
  public boolean isOpen(Instant at, ZoneId zone, String country) {
    return isOpenSkipping(at, zone, holidays(country));
  }

  /** {@link #isOpen(Instant, ZoneId, String)} with the caller's holidays. */
  public boolean isOpenSkipping(Instant at, ZoneId zone, Predicate<LocalDate> holiday) {
    ZonedDateTime local = at.atZone(zone);
    LocalTime time = local.toLocalTime();
    return isOpenDay(local.toLocalDate(), holiday) && !time.isBefore(start) && time.isBefore(end);
  }

  /**
   * The first instant at or after {@code from} at which the window is open in {@code zone}: {@code
   * from} itself when the window is open then. Holidays of {@code country} are skipped when the
   * window says so; a null country, or one the holiday tables do not know, has none.
   *
   * @throws IllegalStateException when the window does not open within {@link #SEARCH_DAYS} days
   */
  public Instant nextOpening(Instant from, ZoneId zone, String country) {
    return nextOpeningSkipping(from, zone, holidays(country));
  }

  /**
   * {@link #nextOpening(Instant, ZoneId, String)} with the caller's holidays (consulted only when
   * the window skips holidays).
   */
  public Instant nextOpeningSkipping(Instant from, ZoneId zone, Predicate<LocalDate> holiday) {
    if (isOpenSkipping(from, zone, holiday)) {
      return from;
    }
    ZoneRules rules = zone.getRules();
    LocalDate first = from.atZone(zone).toLocalDate();
    for (int offset = 0; offset <= SEARCH_DAYS; offset++) {
      LocalDate day = first.plusDays(offset);
      if (!isOpenDay(day, holiday)) {
        continue;
      }
      // Whether the window is open changes only where the local time crosses the opening time or
      // where the zone's offset jumps, so the first open instant is one of those points.
      for (Instant candidate : candidates(day, zone, rules)) {
        if (!candidate.isBefore(from) && isOpenSkipping(candidate, zone, holiday)) {
          return candidate;
        }
      }
    }
    throw new IllegalStateException(
        "the send window "
            + this
            + " does not open within "
            + SEARCH_DAYS
            + " days after "
            + from
            + " in "
            + zone);
  }

  /**
   * The window as an "open at or after" function for one lead, the form the mailbox reservations
   * take ({@code dev.outbound.crm.capacity.ReservationRequest}).
   */
  public UnaryOperator<Instant> openAt(ZoneId zone, String country) {
    Predicate<LocalDate> holiday = holidays(country);
    return from -> nextOpeningSkipping(from, zone, holiday);
  }

  /** The instants on {@code day} at which the window may open, in order. */
  private List<Instant> candidates(LocalDate day, ZoneId zone, ZoneRules rules) {
    List<Instant> candidates = new ArrayList<>(3);
    LocalDateTime opening = LocalDateTime.of(day, start);
    List<ZoneOffset> offsets = rules.getValidOffsets(opening);
    if (offsets.isEmpty()) {
      // The opening time falls into a spring-forward gap: the window opens at the jump.
      candidates.add(rules.getTransition(opening).getInstant());
    } else {
      for (ZoneOffset offset : offsets) {
        candidates.add(opening.toInstant(offset));
      }
    }
    Instant dayStart = day.atStartOfDay(zone).toInstant();
    Instant nextDayStart = day.plusDays(1).atStartOfDay(zone).toInstant();
    ZoneOffsetTransition transition = rules.nextTransition(dayStart.minusNanos(1));
    while (transition != null && transition.getInstant().isBefore(nextDayStart)) {
      candidates.add(transition.getInstant());
      transition = rules.nextTransition(transition.getInstant());
    }
    Collections.sort(candidates);
    return candidates;
  }

  private boolean isOpenDay(LocalDate date, Predicate<LocalDate> holiday) {
    return days.contains(date.getDayOfWeek()) && !(skipHolidays && holiday.test(date));
  }

  private Predicate<LocalDate> holidays(String country) {
    if (!skipHolidays || country == null) {
      return date -> false;
    }
    return date -> PublicHolidays.isHoliday(country, date);
  }

  @Override
  public String toString() {
    return daysText() + " " + start + "-" + end + (skipHolidays ? " without holidays" : "");
  }
}
