package dev.outbound.activities.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbound.activities.inbound.Classification.AutoReply;
import dev.outbound.activities.inbound.Classification.Bounce;
import dev.outbound.activities.inbound.Classification.HumanReply;
import dev.outbound.activities.inbound.Classification.Unknown;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * Every message of the corpus under {@code src/test/resources/inbound} against the classification
 * its row in {@code manifest.csv} expects: replies in seven languages (some quoting an
 * out-of-office), out-of-office messages with and without a return date, ticket systems,
 * challenge-response, bulk mail, RFC 3464 reports and the non-standard bounces of Postfix, Exim,
 * Exchange, Gmail, qmail and sendmail.
 */
class InboundCorpusTest {

  private static final String DIR = "/inbound/";
  private final InboundClassifier classifier = new InboundClassifier();

  @ParameterizedTest(name = "{0} is {1} {2}")
  @CsvFileSource(resources = "/inbound/manifest.csv")
  void classifiesLikeTheManifestSays(
      String file,
      String kind,
      String detail,
      String returnDate,
      String recipient,
      String originalId)
      throws IOException {
    Classification result = classifier.classify(read(file));

    switch (kind) {
      case "HUMAN" -> {
        assertThat(result).isInstanceOf(HumanReply.class);
        assertThat(((HumanReply) result).asksToUnsubscribe())
            .as("asks to unsubscribe")
            .isEqualTo(detail.equals("unsubscribe"));
      }
      case "AUTO" -> {
        assertThat(result).isInstanceOf(AutoReply.class);
        AutoReply auto = (AutoReply) result;
        assertThat(auto.kind().name()).isEqualTo(detail);
        assertThat(auto.returnDate())
            .as("return date")
            .isEqualTo(returnDate.equals("-") ? null : LocalDate.parse(returnDate));
      }
      case "BOUNCE" -> {
        assertThat(result).isInstanceOf(Bounce.class);
        Bounce bounce = (Bounce) result;
        assertThat(bounce.type().name()).isEqualTo(detail);
        assertThat(bounce.failedRecipient()).isEqualTo(orNull(recipient));
        assertThat(bounce.originalMessageId()).isEqualTo(orNull(originalId));
      }
      case "UNKNOWN" -> assertThat(result).isInstanceOf(Unknown.class);
      default -> throw new IllegalArgumentException("unknown kind in manifest: " + kind);
    }
  }

  @Test
  void theManifestListsEveryMessageOfTheCorpusAndTheCorpusIsLargeEnough()
      throws IOException, URISyntaxException {
    List<String> listed;
    try (InputStream in = getClass().getResourceAsStream(DIR + "manifest.csv")) {
      listed =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .lines()
              .filter(line -> !line.isBlank() && !line.startsWith("#"))
              .map(line -> line.substring(0, line.indexOf(',')))
              .toList();
    }
    Path dir = Path.of(getClass().getResource(DIR).toURI());
    List<String> files;
    try (Stream<Path> paths = Files.list(dir)) {
      files =
          paths
              .map(p -> p.getFileName().toString())
              .filter(name -> name.endsWith(".eml"))
              .sorted()
              .toList();
    }

    assertThat(listed).doesNotHaveDuplicates();
    assertThat(listed).containsExactlyInAnyOrderElementsOf(files);
    assertThat(files).hasSizeGreaterThanOrEqualTo(40);
  }

  static byte[] read(String file) throws IOException {
    try (InputStream in = InboundCorpusTest.class.getResourceAsStream(DIR + file)) {
      if (in == null) {
        throw new IOException("no such corpus file: " + file);
      }
      return in.readAllBytes();
    }
  }

  private static String orNull(String value) {
    return value.equals("-") ? null : value;
  }
}
