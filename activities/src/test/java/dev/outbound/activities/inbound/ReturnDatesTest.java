package dev.outbound.activities.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReturnDatesTest {

  private static final LocalDate DECEMBER_20 = LocalDate.of(2026, 12, 20);

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          I will be back on 12 January                               | 2027-01-12
          I'll be back on January 12th.                              | 2027-01-12
          back on 02.01.2027                                         | 2027-01-02
          Ich bin zurück am 5. Januar.                               | 2027-01-05
          Ab dem 7. Januar bin ich wieder im Büro.                   | 2027-01-07
          Je serai de retour le 3 janvier.                           | 2027-01-03
          de retour le 1er janvier 2027                              | 2027-01-01
          Estaré de vuelta el 7 de enero.                            | 2027-01-07
          de vuelta el 7 de enero de 2027                            | 2027-01-07
          Ik ben terug op 8 januari.                                 | 2027-01-08
          Vanaf 8 januari ben ik weer aanwezig.                      | 2027-01-08
          Sarò di ritorno il 7 gennaio.                              | 2027-01-07
          Estarei de volta em 12 de janeiro.                         | 2027-01-12
          Returning 2027-01-15.                                      | 2027-01-15
          Out until 2027-01-15 inclusive                             | 2027-01-15
          away from 21 December until 4 January                      | 2027-01-04
          vom 21.12. bis 04.01.                                      | 2027-01-04
          du 21 décembre au 4 janvier                                | 2027-01-04
          I am out of the office since 18 December, back 5 Jan       | 2027-01-05
          Back on 13/01/2027                                         | 2027-01-13
          Back on 01/13/2027                                         | 2027-01-13
          Back on 5.1.27                                             | 2027-01-05
          Back on 24 December                                        | 2026-12-24
          Back on 20 December                                        | 2026-12-20
          """)
  void readsTheReturnDate(String text, LocalDate expected) {
    assertThat(ReturnDates.find(text, DECEMBER_20)).contains(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          I am out of the office with limited access to email.
          Back soon, on Monday.
          I'll be out 2 weeks.
          Call me between 10.30 and 11.00.
          I was away on 12 December.
          Back on 19 December.
          Back on 31 February.
          Back on 12 January 2029.
          """)
  void findsNoDateWhereThereIsNone(String text) {
    assertThat(ReturnDates.find(text, DECEMBER_20)).isEmpty();
  }

  @ParameterizedTest(name = "{0} written {1} -> {2}")
  @CsvSource({
    "back on 2 January, 2026-12-28, 2027-01-02",
    "back on 2 January, 2027-01-01, 2027-01-02",
    "back on 2 January, 2027-01-02, 2027-01-02",
    "back on 29 February, 2027-12-01, 2028-02-29",
    "back on 5 March, 2026-11-01, 2027-03-05"
  })
  void placesAYearlessDateOnTheNextSuchDay(String text, LocalDate written, LocalDate expected) {
    assertThat(ReturnDates.find(text, written)).contains(expected);
  }
}
