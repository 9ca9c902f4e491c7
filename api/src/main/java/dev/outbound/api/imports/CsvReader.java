package dev.outbound.api.imports;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming reader of RFC 4180 CSV: fields separated by commas, records by CRLF (LF or CR alone
 * are accepted too), fields that contain commas, quotes or line breaks enclosed in double quotes, a
 * quote inside them doubled. A byte order mark at the start is skipped. Each record knows the line
 * on which it starts, which is what a person looking at the file in an editor or a spreadsheet
 * needs to find a rejected row.
 *
 * <p>Why our own parser rather than a library such as Apache Commons CSV: the format is small and
 * fully specified, an import needs exactly three things a general library makes awkward (the start
 * line of each record for the report, a hard error with the line number on an unterminated quote or
 * text after a closing quote instead of a silently merged record, and no dependency that a security
 * review of the upload path has to cover), and a reader of 150 lines is easy to test completely.
 *
 * <p>Lenient where real exports are sloppy: a quote inside an unquoted field is kept as text, and a
 * line with nothing on it is skipped. Strict where leniency would corrupt data: an unterminated
 * quoted field and characters after a closing quote are errors.
 */
final class CsvReader {

  /** One record: its values and the line (from 1) on which it starts. */
  record Row(int line, List<String> values) {

    /** Whether every value is empty or blank, as in a line of only commas. */
    boolean blank() {
      return values.stream().allMatch(String::isBlank);
    }
  }

  /** The input is not CSV; names the line where the problem is. */
  static final class CsvFormatException extends RuntimeException {

    private final int line;

    CsvFormatException(int line, String message) {
      super("line " + line + ": " + message);
      this.line = line;
    }

    int line() {
      return line;
    }
  }

  private static final int EOF = -1;
  private static final char BOM = '\uFEFF';

  private final Reader in;
  private int line = 1;
  private int pushedBack = Integer.MIN_VALUE;
  private boolean started;

  CsvReader(Reader in) {
    this.in = in;
  }

  /**
   * The next record, skipping empty lines; {@code null} at the end of the input.
   *
   * @throws CsvFormatException when the input is not valid CSV
   * @throws IOException when reading fails
   */
  Row next() throws IOException {
    if (!started) {
      started = true;
      int first = read();
      if (first != BOM) {
        unread(first);
      }
    }
    while (true) {
      int c = read();
      if (c == EOF) {
        return null;
      }
      if (c == '\r' || c == '\n') {
        lineBreak(c);
        continue;
      }
      unread(c);
      return record();
    }
  }

  /** Reads one record; the input is at its first character, which is not a line break. */
  private Row record() throws IOException {
    int start = line;
    List<String> values = new ArrayList<>();
    StringBuilder value = new StringBuilder();
    while (true) {
      int c = read();
      if (c == '"' && value.isEmpty()) {
        quoted(value, start);
        c = read();
        if (c != ',' && c != '\r' && c != '\n' && c != EOF) {
          throw new CsvFormatException(
              line, "text after a closing quote; a quote inside a quoted value is written \"\"");
        }
      }
      if (c == ',') {
        values.add(value.toString());
        value.setLength(0);
      } else if (c == '\r' || c == '\n' || c == EOF) {
        values.add(value.toString());
        if (c != EOF) {
          lineBreak(c);
        }
        return new Row(start, List.copyOf(values));
      } else {
        value.append((char) c);
      }
    }
  }

  /** Reads a quoted value up to its closing quote; line breaks inside it are kept. */
  private void quoted(StringBuilder value, int start) throws IOException {
    while (true) {
      int c = read();
      if (c == EOF) {
        throw new CsvFormatException(
            start, "a quoted value starts here and is never closed (a missing \")");
      }
      if (c == '"') {
        int next = read();
        if (next == '"') {
          value.append('"');
          continue;
        }
        unread(next);
        return;
      }
      if (c == '\r' || c == '\n') {
        // Kept as written, so a value's own CRLF stays CRLF; the line count moves on.
        value.append((char) c);
        if (c == '\r') {
          int next = read();
          if (next == '\n') {
            value.append('\n');
          } else {
            unread(next);
          }
        }
        line++;
        continue;
      }
      value.append((char) c);
    }
  }

  /** Consumes a line break that began with {@code c} (CRLF counts as one). */
  private void lineBreak(int c) throws IOException {
    if (c == '\r') {
      int next = read();
      if (next != '\n') {
        unread(next);
      }
    }
    line++;
  }

  private int read() throws IOException {
    if (pushedBack != Integer.MIN_VALUE) {
      int c = pushedBack;
      pushedBack = Integer.MIN_VALUE;
      return c;
    }
    return in.read();
  }

  private void unread(int c) {
    pushedBack = c;
  }
}
