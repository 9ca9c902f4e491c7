package dev.outbound.vocabulary.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Send windows on the wall clock of the lead's zone, across weekends, holidays and DST changes. */
class SendWindowTest {

  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  static final Set<DayOfWeek> EVERY_DAY = EnumSet.allOf(DayOfWeek.class);

  static SendWindow weekdays(int fromHour, int toHour, boolean skipHolidays) {
    return SendWindow.of(
        "MON,TUE,WED,THU,FRI", LocalTime.of(fromHour, 0), LocalTime.of(toHour, 0), skipHolidays);
  }

  static Instant at(String localDateTime, ZoneId zone) {
    return LocalDateTime.parse(localDateTime).atZone(zone).toInstant();
  }

  @Test
  void returnsTheInstantItselfWhenTheWindowIsOpen() {
    Instant tuesdayNoon = at("2026-11-24T12:00", BERLIN);

    assertThat(weekdays(9, 17, false).nextOpening(tuesdayNoon, BERLIN, null))
        .isEqualTo(tuesdayNoon);
    assertThat(weekdays(9, 17, false).isOpen(tuesdayNoon, BERLIN, null)).isTrue();
  }

  @Test
  void opensLaterTodayWhenAskedBeforeTheOpening() {
    assertThat(weekdays(9, 17, false).nextOpening(at("2026-11-24T07:15", BERLIN), BERLIN, null))
        .isEqualTo(at("2026-11-24T09:00", BERLIN));
  }

  @Test
  void closesAtTheEndTimeAndOpensTheNextDay() {
    SendWindow window = weekdays(9, 17, false);

    assertThat(window.isOpen(at("2026-11-24T16:59:59", BERLIN), BERLIN, null)).isTrue();
    assertThat(window.isOpen(at("2026-11-24T17:00", BERLIN), BERLIN, null)).isFalse();
    assertThat(window.nextOpening(at("2026-11-24T17:00", BERLIN), BERLIN, null))
        .isEqualTo(at("2026-11-25T09:00", BERLIN));
  }

  @Test
  void skipsTheWeekend() {
    assertThat(weekdays(9, 17, false).nextOpening(at("2026-11-27T18:00", BERLIN), BERLIN, null))
        .isEqualTo(at("2026-11-30T09:00", BERLIN));
  }

  @Test
  void readsTheWindowInTheLeadsZone() {
    // 21:00 in Berlin is 15:00 in New York: closed for a Berlin lead, open for a New York one.
    Instant instant = at("2026-11-24T21:00", BERLIN);

    assertThat(weekdays(9, 17, false).isOpen(instant, BERLIN, null)).isFalse();
    assertThat(weekdays(9, 17, false).nextOpening(instant, NEW_YORK, null)).isEqualTo(instant);
  }

  @Test
  void opensAtTheJumpWhenTheOpeningTimeDoesNotExistInBerlin() {
    // 29 March 2026: clocks jump from 02:00 CET to 03:00 CEST (01:00 UTC); 02:30 does not exist.
    SendWindow window = new SendWindow(EVERY_DAY, LocalTime.of(2, 30), LocalTime.of(5, 0), false);

    assertThat(window.nextOpening(at("2026-03-29T00:00", BERLIN), BERLIN, null))
        .isEqualTo(Instant.parse("2026-03-29T01:00:00Z"));
    // The day after, 02:30 exists again (in summer time).
    assertThat(window.nextOpening(at("2026-03-29T06:00", BERLIN), BERLIN, null))
        .isEqualTo(Instant.parse("2026-03-30T00:30:00Z"));
  }

  @Test
  void opensAtNineOnTheDayAfterTheBerlinChangesWithTheNewOffset() {
    SendWindow window = new SendWindow(EVERY_DAY, LocalTime.of(9, 0), LocalTime.of(17, 0), false);

    // Saturday evening in winter time, Sunday 09:00 in summer time (UTC+2).
    assertThat(window.nextOpening(at("2026-03-28T18:00", BERLIN), BERLIN, null))
        .isEqualTo(Instant.parse("2026-03-29T07:00:00Z"));
    // Saturday evening in summer time, Sunday 09:00 in winter time (UTC+1) on 25 October.
    assertThat(window.nextOpening(at("2026-10-24T18:00", BERLIN), BERLIN, null))
        .isEqualTo(Instant.parse("2026-10-25T08:00:00Z"));
  }

  @Test
  void usesTheFirstOfTwoEqualLocalTimesWhenBerlinFallsBack() {
    // 25 October 2026: clocks go back from 03:00 CEST to 02:00 CET (01:00 UTC); 02:30 happens
    // twice.
    SendWindow window = new SendWindow(EVERY_DAY, LocalTime.of(2, 30), LocalTime.of(4, 0), false);

    assertThat(window.nextOpening(Instant.parse("2026-10-25T00:00:00Z"), BERLIN, null))
        .isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
  }

  @Test
  void reopensInTheRepeatedHourWhenTheWindowEndsInside() {
    // Open 01:00-02:30 local: closed at 02:30 CEST (00:30 UTC), open again from 02:00 CET (01:00
    // UTC) because the repeated local times 02:00-02:30 are inside the window.
    SendWindow window = new SendWindow(EVERY_DAY, LocalTime.of(1, 0), LocalTime.of(2, 30), false);

    assertThat(window.isOpen(Instant.parse("2026-10-25T00:45:00Z"), BERLIN, null)).isFalse();
    assertThat(window.nextOpening(Instant.parse("2026-10-25T00:45:00Z"), BERLIN, null))
        .isEqualTo(Instant.parse("2026-10-25T01:00:00Z"));
  }

  @Test
  void followsNewYorksChangesOnTheSecondSundayOfMarchAndTheFirstOfNovember() {
    SendWindow early = new SendWindow(EVERY_DAY, LocalTime.of(2, 30), LocalTime.of(6, 0), false);
    // 8 March 2026: 02:00 EST jumps to 03:00 EDT at 07:00 UTC.
    assertThat(early.nextOpening(at("2026-03-08T00:00", NEW_YORK), NEW_YORK, null))
        .isEqualTo(Instant.parse("2026-03-08T07:00:00Z"));

    SendWindow nightOwl = new SendWindow(EVERY_DAY, LocalTime.of(1, 30), LocalTime.of(6, 0), false);
    // 1 November 2026: 02:00 EDT falls back to 01:00 EST at 06:00 UTC; the first 01:30 is EDT.
    assertThat(nightOwl.nextOpening(Instant.parse("2026-11-01T04:00:00Z"), NEW_YORK, null))
        .isEqualTo(Instant.parse("2026-11-01T05:30:00Z"));

    SendWindow office = new SendWindow(EVERY_DAY, LocalTime.of(9, 0), LocalTime.of(17, 0), false);
    assertThat(office.nextOpening(at("2026-10-31T18:00", NEW_YORK), NEW_YORK, null))
        .isEqualTo(Instant.parse("2026-11-01T14:00:00Z"));
    assertThat(office.nextOpening(at("2026-03-07T18:00", NEW_YORK), NEW_YORK, null))
        .isEqualTo(Instant.parse("2026-03-08T13:00:00Z"));
  }

  @Test
  void skipsAGermanHolidayOnlyWhenAskedAndTheCountryIsGiven() {
    Instant christmasEve = at("2026-12-24T18:00", BERLIN);

    // 25 December 2026 is a Friday; the next working day is Monday the 28th.
    assertThat(weekdays(9, 17, true).nextOpening(christmasEve, BERLIN, "DE"))
        .isEqualTo(at("2026-12-28T09:00", BERLIN));
    assertThat(weekdays(9, 17, true).nextOpening(christmasEve, BERLIN, "de"))
        .isEqualTo(at("2026-12-28T09:00", BERLIN));
    assertThat(weekdays(9, 17, false).nextOpening(christmasEve, BERLIN, "DE"))
        .isEqualTo(at("2026-12-25T09:00", BERLIN));
    assertThat(weekdays(9, 17, true).nextOpening(christmasEve, BERLIN, null))
        .isEqualTo(at("2026-12-25T09:00", BERLIN));
  }

  @Test
  void skipsTheObservedDayOfAnAmericanHolidayOnASaturday() {
    // 4 July 2026 is a Saturday; jollyday observes it on Friday 3 July.
    assertThat(PublicHolidays.isHoliday("US", LocalDate.of(2026, 7, 3))).isTrue();
    assertThat(PublicHolidays.isHoliday("US", LocalDate.of(2026, 7, 4))).isTrue();
    assertThat(weekdays(9, 17, true).nextOpening(at("2026-07-02T18:00", NEW_YORK), NEW_YORK, "US"))
        .isEqualTo(at("2026-07-06T09:00", NEW_YORK));

    SendWindow everyDay = new SendWindow(EVERY_DAY, LocalTime.of(9, 0), LocalTime.of(17, 0), true);
    assertThat(everyDay.nextOpening(at("2026-07-02T18:00", NEW_YORK), NEW_YORK, "US"))
        .isEqualTo(at("2026-07-05T09:00", NEW_YORK));
  }

  @Test
  void treatsAnUnknownCountryAsHavingNoHolidays() {
    assertThat(PublicHolidays.isKnownCountry("XX")).isFalse();
    assertThat(PublicHolidays.isKnownCountry("de")).isTrue();
    assertThat(weekdays(9, 17, true).nextOpening(at("2026-12-24T18:00", BERLIN), BERLIN, "XX"))
        .isEqualTo(at("2026-12-25T09:00", BERLIN));
  }

  @Test
  void givesUpWithAClearErrorWhenTheWindowNeverOpens() {
    SendWindow window = weekdays(9, 17, true);

    assertThatThrownBy(
            () -> window.nextOpeningSkipping(at("2026-11-24T18:00", BERLIN), BERLIN, date -> true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not open within 366 days")
        .hasMessageContaining("MON,TUE,WED,THU,FRI 09:00-17:00");
  }

  @Test
  void offersItselfAsAnOpenAtFunctionForReservations() {
    var openAt = weekdays(9, 17, true).openAt(BERLIN, "DE");

    assertThat(openAt.apply(at("2026-12-24T18:00", BERLIN)))
        .isEqualTo(at("2026-12-28T09:00", BERLIN));
  }

  @Test
  void parsesAndFormatsTheDaysColumn() {
    assertThat(SendWindow.parseDays(" fri, Mon ,WED"))
        .containsExactly(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY);
    assertThat(SendWindow.formatDays(EnumSet.of(DayOfWeek.SUNDAY, DayOfWeek.MONDAY)))
        .isEqualTo("MON,SUN");
    assertThat(SendWindow.formatDays(SendWindow.parseDays("SUN,SAT,FRI,THU,WED,TUE,MON")))
        .isEqualTo("MON,TUE,WED,THU,FRI,SAT,SUN");
  }

  @Test
  void rejectsInvalidWindowsWithMessagesForProblemDetails() {
    assertThatThrownBy(() -> SendWindow.parseDays("MON,FUN"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown day 'FUN' in the send window; use MON, TUE, WED, THU, FRI, SAT or SUN");
    assertThatThrownBy(() -> SendWindow.parseDays("MON,mon"))
        .hasMessage("the day MON appears more than once in the send window");
    assertThatThrownBy(() -> SendWindow.parseDays(""))
        .hasMessage("the send window needs at least one day of the week");
    assertThatThrownBy(() -> SendWindow.parseDays("MON,"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new SendWindow(EVERY_DAY, LocalTime.of(17, 0), LocalTime.of(9, 0), false))
        .hasMessage("the send window's end (09:00) must be after its start (17:00)");
    assertThatThrownBy(
            () ->
                new SendWindow(
                    EnumSet.noneOf(DayOfWeek.class),
                    LocalTime.of(9, 0),
                    LocalTime.of(17, 0),
                    false))
        .hasMessage("the send window needs at least one day of the week");
  }
}
