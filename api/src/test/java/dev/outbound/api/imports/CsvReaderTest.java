package dev.outbound.api.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

  @Test
  void readsPlainRecordsWithTheLineEachStartsOn() throws IOException {
    assertThat(read("email,company\na@x.io,Acme\nb@x.io,Globex\n"))
        .containsExactly(
            new CsvReader.Row(1, List.of("email", "company")),
            new CsvReader.Row(2, List.of("a@x.io", "Acme")),
            new CsvReader.Row(3, List.of("b@x.io", "Globex")));
  }

  @Test
  void keepsCommasQuotesAndLineBreaksInsideQuotedValuesAndCountsTheirLines() throws IOException {
    List<CsvReader.Row> rows =
        read(
            "email,note\r\n\"a@x.io\",\"one, two\"\r\nb@x.io,\"say \"\"hi\"\"\nthen\r\nbye\"\r\nc@x.io,\r\n");

    assertThat(rows.get(1)).isEqualTo(new CsvReader.Row(2, List.of("a@x.io", "one, two")));
    assertThat(rows.get(2))
        .isEqualTo(new CsvReader.Row(3, List.of("b@x.io", "say \"hi\"\nthen\r\nbye")));
    assertThat(rows.get(3))
        .as("the quoted value spans lines 3 to 5")
        .isEqualTo(new CsvReader.Row(6, List.of("c@x.io", "")));
    assertThat(rows).hasSize(4);
  }

  @Test
  void skipsAByteOrderMarkAndEmptyLinesButCountsThem() throws IOException {
    assertThat(read("\uFEFFemail\n\n\r\na@x.io\n\n"))
        .containsExactly(
            new CsvReader.Row(1, List.of("email")), new CsvReader.Row(4, List.of("a@x.io")));
  }

  @Test
  void acceptsALastLineWithoutALineBreakAndOldMacLineBreaks() throws IOException {
    assertThat(read("email\ra@x.io\rb@x.io"))
        .extracting(CsvReader.Row::line)
        .containsExactly(1, 2, 3);
  }

  @Test
  void keepsEmptyValuesAndAQuoteInsideAnUnquotedValue() throws IOException {
    assertThat(read(",a\"b,,\"\"\n").get(0).values()).containsExactly("", "a\"b", "", "");
  }

  @Test
  void aLineOfCommasIsBlank() throws IOException {
    assertThat(read(" , ,\n").get(0).blank()).isTrue();
    assertThat(read("a,,\n").get(0).blank()).isFalse();
  }

  @Test
  void refusesAQuotedValueThatIsNeverClosedNamingTheLineItStartsOn() {
    assertThatThrownBy(() -> read("email,note\na@x.io,\"open\nstill open\n"))
        .isInstanceOfSatisfying(
            CsvReader.CsvFormatException.class, e -> assertThat(e.line()).isEqualTo(2))
        .hasMessageContaining("never closed");
  }

  @Test
  void refusesTextAfterAClosingQuote() {
    assertThatThrownBy(() -> read("email\n\"a@x.io\"x\n"))
        .isInstanceOfSatisfying(
            CsvReader.CsvFormatException.class, e -> assertThat(e.line()).isEqualTo(2));
  }

  private static List<CsvReader.Row> read(String csv) throws IOException {
    CsvReader reader = new CsvReader(new StringReader(csv));
    List<CsvReader.Row> rows = new ArrayList<>();
    for (CsvReader.Row row = reader.next(); row != null; row = reader.next()) {
      rows.add(row);
    }
    return rows;
  }
}
