package dev.outbound.vocabulary.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void escapesJsonControlCharacters() {
    assertThat(Json.string("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
  }

  @Test
  void writesAFlatObjectInTheOrderOfItsEntries() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("b", "1");
    values.put("a", null);
    values.put("t\tab", "x\ry");

    assertThat(Json.object(values)).isEqualTo("{\"b\":\"1\",\"a\":null,\"t\\tab\":\"x\\ry\"}");
    assertThat(Json.object(null)).isEqualTo("{}");
  }

  @Test
  void appendsAFurtherMemberWithItsCommaAndNullAsTheLiteral() {
    StringBuilder out = new StringBuilder("{\"idx\":1");
    Json.member(out, "email", "a\"b@example.com");
    Json.member(out, "company", null);

    assertThat(out.append('}').toString())
        .isEqualTo("{\"idx\":1,\"email\":\"a\\\"b@example.com\",\"company\":null}");
  }
}
