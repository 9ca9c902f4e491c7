package dev.outbound.vocabulary.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {

  @Test
  void replacesVariablesWithTheLeadsValues() {
    Template t = Template.parse("Hi {{firstName}}, how is {{company}}?");

    assertThat(t.render(Map.of("firstName", "Ada", "company", "Acme"), Template::plain))
        .isEqualTo("Hi Ada, how is Acme?");
    assertThat(t.variables()).containsExactly("firstName", "company");
  }

  @Test
  void usesTheFallbackWhenTheValueIsMissingOrBlank() {
    Template t = Template.parse("Hi {{ firstName | there }}!");
    Map<String, String> blank = new HashMap<>();
    blank.put("firstName", "  ");

    assertThat(t.render(Map.of(), Template::plain)).isEqualTo("Hi there!");
    assertThat(t.render(blank, Template::plain)).isEqualTo("Hi there!");
  }

  @Test
  void refusesToRenderAVariableWithoutValueOrFallback() {
    Template t = Template.parse("Hi {{firstName}}");

    assertThatThrownBy(() -> t.render(Map.of(), Template::plain))
        .isInstanceOf(MissingVariableException.class)
        .hasMessageContaining("{{firstName}}");
  }

  @Test
  void escapesValuesButNotTheAuthorsText() {
    Template t = Template.parse("<p>Hi {{firstName}}</p>");

    assertThat(t.render(Map.of("firstName", "<script>x</script>"), Template::escapeHtml))
        .isEqualTo("<p>Hi &lt;script&gt;x&lt;/script&gt;</p>");
  }

  @Test
  void stripsLineBreaksFromHeaderValues() {
    Template t = Template.parse("About {{company}}");

    assertThat(
            t.render(Map.of("company", "Acme\r\nBcc: victim@example.com"), Template::stripControl))
        .doesNotContain("\r")
        .doesNotContain("\n");
  }

  @Test
  void treatsExpressionsAsInvalidNamesNotCode() {
    assertThatThrownBy(() -> Template.parse("{{T(java.lang.Runtime).exec('x')}}"))
        .isInstanceOf(TemplateException.class);
    assertThatThrownBy(() -> Template.parse("Hi {{firstName"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("not closed");
  }
}
