package dev.outbound.vocabulary.schedule;

import de.focus_shift.jollyday.core.Holiday;
import de.focus_shift.jollyday.core.HolidayManager;
import de.focus_shift.jollyday.core.HolidayType;
import de.focus_shift.jollyday.core.ManagerParameters;
import java.time.LocalDate;
import java.time.Year;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * National public holidays per country, from the jollyday library's tables.
 *
 * <p>A holiday counts on its own date and, where the country's rules move it (the United States
 * observe a Saturday holiday on the Friday before), on the observed date too: offices are closed on
 * the observed day, and a send on the day itself would land on the holiday. Only public holidays
 * count, not bank holidays or observances, and only national ones: regional holidays (a German
 * state's, a US state's) need a subdivision the leads do not carry.
 *
 * <p>A country jollyday does not know has no holidays. That is a deliberate choice: an unknown code
 * must not stop a campaign, and the database already checks the code's format.
 *
 * <p>Loading a country's table parses XML, so managers are cached per country and each year's dates
 * per country and year; both caches are bounded by the number of countries and years asked. Loading
 * is serialised: jollyday 2.19 is not safe to initialise from several threads at once (its
 * service-loader cache publishes an empty list of configuration services before it fills it, so a
 * second thread fails with "no implementations"). Look-ups of loaded years take no lock.
 */
public final class PublicHolidays {

  private static final Map<String, Optional<HolidayManager>> MANAGERS = new ConcurrentHashMap<>();
  private static final Map<String, Set<LocalDate>> DATES = new ConcurrentHashMap<>();
  private static final Object LOCK = new Object();

  private PublicHolidays() {}

  /** Whether jollyday has a holiday table for this ISO 3166-1 alpha-2 code (any case). */
  public static boolean isKnownCountry(String country) {
    return country != null && manager(normalise(country)).isPresent();
  }

  /**
   * Whether {@code date} is a national public holiday (or the observed day of one) in {@code
   * country}; false for a null or unknown country.
   */
  public static boolean isHoliday(String country, LocalDate date) {
    if (country == null) {
      return false;
    }
    String code = normalise(country);
    Optional<HolidayManager> manager = manager(code);
    if (manager.isEmpty()) {
      return false;
    }
    int year = date.getYear();
    Set<LocalDate> dates = DATES.get(code + ":" + year);
    if (dates == null) {
      synchronized (LOCK) {
        dates = DATES.computeIfAbsent(code + ":" + year, key -> load(manager.get(), year));
      }
    }
    return dates.contains(date);
  }

  private static Set<LocalDate> load(HolidayManager manager, int year) {
    Set<LocalDate> dates = new HashSet<>();
    // A neighbouring year's holiday can be observed in this one (New Year's Day on a Saturday is
    // observed on the Friday before, in December), so the years around it are read too.
    for (int y = year - 1; y <= year + 1; y++) {
      for (Holiday holiday : manager.getHolidays(Year.of(y), HolidayType.PUBLIC_HOLIDAY)) {
        // getDate() is the observed date where one applies, getActualDate() the holiday itself.
        for (LocalDate date : new LocalDate[] {holiday.getDate(), holiday.getActualDate()}) {
          if (date.getYear() == year) {
            dates.add(date);
          }
        }
      }
    }
    return Set.copyOf(dates);
  }

  private static Optional<HolidayManager> manager(String code) {
    Optional<HolidayManager> known = MANAGERS.get(code);
    if (known != null) {
      return known;
    }
    synchronized (LOCK) {
      return MANAGERS.computeIfAbsent(
          code,
          c ->
              HolidayManager.getSupportedCalendarCodes().contains(c)
                  ? Optional.of(HolidayManager.getInstance(ManagerParameters.create(c)))
                  : Optional.empty());
    }
  }

  private static String normalise(String country) {
    return country.trim().toUpperCase(Locale.ROOT);
  }
}
