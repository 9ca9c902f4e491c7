package dev.outbound.api.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outbound.api.web.FieldProblem;
import dev.outbound.api.web.InvalidRequestException;
import dev.outbound.crm.admin.LeadStore.NewLead;
import dev.outbound.crm.imports.ImportFormat;
import dev.outbound.crm.imports.RowRejection;
import dev.outbound.crm.imports.StagedLead;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/** Uploads turned into staged and rejected rows, with the same rules as POST .../leads. */
class UploadParserTest {

  private static ValidatorFactory factory;
  private static UploadParser parser;

  /** Takes at most five rows. */
  private static UploadParser small;

  @BeforeAll
  static void parser() {
    factory = Validation.buildDefaultValidatorFactory();
    Validator validator = factory.getValidator();
    parser = new UploadParser(validator, JsonMapper.builder().build(), 100);
    small = new UploadParser(validator, JsonMapper.builder().build(), 5);
  }

  @AfterAll
  static void close() {
    factory.close();
  }

  @Test
  void mapsHeaderNamesWhateverTheirSpellingAndOtherColumnsToFields() throws IOException {
    UploadParser.Parsed parsed =
        csv(
            "E-Mail, First Name ,last_name,COMPANY,time_zone,country,role,Source\n"
                + "ada@example.com,Ada,Lovelace,Acme,Europe/London,gb,CTO,\n",
            List.of());

    assertThat(parsed.rejections()).isEmpty();
    assertThat(parsed.staged())
        .containsExactly(
            new StagedLead(
                2,
                new NewLead(
                    "ada@example.com",
                    "Ada",
                    "Lovelace",
                    "Acme",
                    "Europe/London",
                    "GB",
                    Map.of("role", "CTO"))));
  }

  @Test
  void followsAnExplicitMappingAndIgnoresColumnsMappedToADash() throws IOException {
    UploadParser.Parsed parsed =
        csv(
            "Mail,Vorname,Notes (internal),Rolle\nada@example.com,Ada,secret,CTO\n",
            List.of("Mail:email", "Vorname:firstName", "Notes (internal):-", "Rolle:fields.role"));

    NewLead lead = parsed.staged().get(0).lead();
    assertThat(lead.email()).isEqualTo("ada@example.com");
    assertThat(lead.firstName()).isEqualTo("Ada");
    assertThat(lead.fields()).containsExactly(Map.entry("role", "CTO"));
  }

  @Test
  void refusesAnUploadWithoutHeaderOrEmailColumnOrWithUnusableColumnNames() {
    assertThat(problems("", List.of()))
        .extracting(FieldProblem::message)
        .singleElement()
        .asString()
        .contains("empty");
    assertThat(problems("\n\n", List.of())).hasSize(1);
    assertThat(problems("first_name,company\nAda,Acme\n", List.of()))
        .containsExactly(
            new FieldProblem(
                "header",
                "has no email column; name one 'email' or map one with map=<column>:email"));
    assertThat(problems("email,Notes (internal)\n", List.of()))
        .extracting(FieldProblem::message)
        .singleElement()
        .asString()
        .contains("map=Notes (internal):-");
    assertThat(problems("email,Email\n", List.of()))
        .extracting(FieldProblem::message)
        .singleElement()
        .asString()
        .contains("both fill email");
    assertThat(problems("email,,x\n", List.of()))
        .extracting(FieldProblem::message)
        .singleElement()
        .asString()
        .contains("column 2 has no name");
    assertThat(problems("email\n", List.of("nothing", "Missing:email")))
        .extracting(FieldProblem::field)
        .containsExactly("map", "map");
  }

  @Test
  void refusesMalformedCsvNamingTheLine() {
    assertThat(problems("email,note\na@x.io,\"open\n", List.of()))
        .extracting(FieldProblem::message)
        .singleElement()
        .asString()
        .contains("line 2");
  }

  @Test
  void rejectsInvalidRowsWithTheirLineColumnAndReasonAndKeepsTheRest() throws IOException {
    UploadParser.Parsed parsed =
        csv(
            "email,first_name,timezone,country,role\n"
                + "ok@example.com,Ada,,,\n"
                + "not-an-address,Ada,,,\n"
                + "tz@example.com,Ada,Mars/Olympus,,\n"
                + "cc@example.com,Ada,,XX,\n"
                + "\"crlf@example.com\",\"Ada\r\nBcc: victim@example.com\",,,\n"
                + "nul@example.com,Ada,,,\"CTO\u0000\"\n"
                + "lf@example.com,Ada,,,\"two\nlines\"\n"
                + "long@example.com,"
                + "a".repeat(201)
                + ",,,\n"
                + ",Ada,,,\n"
                + "short@example.com,Ada\n",
            List.of());

    assertThat(parsed.totalRows()).isEqualTo(10);
    assertThat(parsed.staged()).extracting(StagedLead::position).containsExactly(2);
    assertThat(parsed.rejections())
        .extracting(RowRejection::position, RowRejection::field)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(3, "email"),
            org.assertj.core.groups.Tuple.tuple(4, "timezone"),
            org.assertj.core.groups.Tuple.tuple(5, "country"),
            org.assertj.core.groups.Tuple.tuple(6, "first_name"),
            org.assertj.core.groups.Tuple.tuple(8, "role"),
            org.assertj.core.groups.Tuple.tuple(9, "role"),
            org.assertj.core.groups.Tuple.tuple(11, "first_name"),
            org.assertj.core.groups.Tuple.tuple(12, "email"),
            org.assertj.core.groups.Tuple.tuple(13, ""));
    // The header-safety rule of the lead API (CR, LF, NUL and their CVE-2025-7962 look-alikes).
    assertThat(parsed.rejections().get(4).reason()).contains("CVE-2025-7962");
    assertThat(parsed.rejections().get(8).reason()).contains("has 2 values but the header has 5");
  }

  @Test
  void rejectsTheSameAddressAgainInAnyCaseNamingTheFirstLine() throws IOException {
    UploadParser.Parsed parsed =
        csv("email\nada@example.com\n\nADA@Example.com\ngrace@example.com\n", List.of());

    assertThat(parsed.staged()).extracting(StagedLead::position).containsExactly(2, 5);
    assertThat(parsed.rejections())
        .containsExactly(
            new RowRejection(4, "email", "duplicate: the same email address is on line 2"));
  }

  @Test
  void refusesMoreRowsThanAllowedWith413ButNotCountingEmptyLines() throws IOException {
    String five = "email\n" + "a@x.io\n\nb@x.io\nc@x.io\nd@x.io\n,\ne@x.io\n";
    assertThat(small.csv(new StringReader(five), List.of()).totalRows()).isEqualTo(5);

    assertThatThrownBy(() -> small.csv(new StringReader(five + "f@x.io\n"), List.of()))
        .isInstanceOfSatisfying(
            UploadTooLargeException.class,
            e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE));
  }

  @Test
  void readsAJsonArrayOfLeadsRejectingUnknownFieldsWrongTypesAndNonObjectsByIndex() {
    UploadParser.Parsed parsed =
        json(
            "[{\"email\":\"ada@example.com\",\"firstName\":\"Ada\",\"fields\":{\"role\":\"CTO\"}},"
                + "{\"email\":\"x@example.com\",\"isAdmin\":true},"
                + "{\"email\":\"y@example.com\",\"fields\":[1]},"
                + "42, null,"
                + "{\"email\":\"bad\"},"
                + "{\"email\":\"ADA@example.com\"}]");

    assertThat(parsed.format()).isEqualTo(ImportFormat.JSON);
    assertThat(parsed.totalRows()).isEqualTo(7);
    assertThat(parsed.staged()).extracting(StagedLead::position).containsExactly(0);
    assertThat(parsed.rejections())
        .extracting(RowRejection::position, RowRejection::field)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, "isAdmin"),
            org.assertj.core.groups.Tuple.tuple(2, "fields"),
            org.assertj.core.groups.Tuple.tuple(3, ""),
            org.assertj.core.groups.Tuple.tuple(4, ""),
            org.assertj.core.groups.Tuple.tuple(5, "email"),
            org.assertj.core.groups.Tuple.tuple(6, "email"));
    assertThat(parsed.rejections().get(5).reason())
        .isEqualTo("duplicate: the same email address is at index 0");
  }

  @Test
  void refusesJsonThatIsNotAnArrayOrNotJson() {
    assertThatThrownBy(() -> json("{\"email\":\"a@x.io\"}"))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> json("[{\"email\":\"a@x.io\"},"))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> json("[{\"email\": nope}]"))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> json("[] []")).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void refusesAJsonArrayWithTooManyLeads() {
    byte[] six = "[{},{},{},{},{},{}]".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> small.json(new ByteArrayInputStream(six)))
        .isInstanceOf(UploadTooLargeException.class);
  }

  @Test
  void aBodyLargerThanAllowedFailsWhileItStreams() {
    byte[] body =
        "[{\"email\":\"a@x.io\"},{\"email\":\"b@x.io\"}]".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(
            () -> parser.json(new LimitedInputStream(new ByteArrayInputStream(body), 10)))
        .isInstanceOf(UploadTooLargeException.class);
    assertThat(
            parser
                .json(new LimitedInputStream(new ByteArrayInputStream(body), body.length))
                .staged())
        .hasSize(2);
  }

  private static UploadParser.Parsed csv(String body, List<String> mapping) throws IOException {
    return parser.csv(new StringReader(body), mapping);
  }

  private static UploadParser.Parsed json(String body) {
    return parser.json(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<FieldProblem> problems(String body, List<String> mapping) {
    try {
      csv(body, mapping);
    } catch (InvalidRequestException e) {
      return e.errors();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("the upload was accepted");
  }
}
