package dev.outbound.activities.inbound;

import java.util.Locale;
import java.util.regex.Pattern;

/** Normalisation shared by the phrase and date matchers. */
final class Text {

  private static final Pattern SPACES = Pattern.compile("[\\s\\u00a0\\u2007\\u202f]+");
  private static final Pattern ENTITY_NUMERIC = Pattern.compile("&#(x?)([0-9a-fA-F]{1,6});");

  private Text() {}

  /**
   * Lower case, typographic apostrophes and dashes made plain, all runs of whitespace (line breaks
   * included) made one space, so that a phrase matches however the sender's client wrapped it.
   */
  static String normalise(String text) {
    if (text == null) {
      return "";
    }
    String plain =
        text.replace('\u2019', '\'')
            .replace('\u2018', '\'')
            .replace('\u00b4', '\'')
            .replace('\u2013', '-')
            .replace('\u2014', '-');
    return SPACES.matcher(plain.toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
  }

  /**
   * A readable approximation of an HTML body: block ends become line breaks, quoted blocks and
   * scripts are dropped, tags removed and the common entities decoded. Enough to classify a message
   * whose only text is HTML, never used to show anything.
   */
  static String htmlToText(String html) {
    String text = html;
    text = text.replaceAll("(?is)<(script|style|head)\\b.*?</\\1\\s*>", " ");
    // What the sender quoted is not what they wrote: blockquotes and the quote containers of the
    // common clients (Gmail, Outlook, Apple Mail, Thunderbird) are cut off.
    text = text.replaceAll("(?is)<blockquote\\b.*?</blockquote\\s*>", "\n");
    text =
        text.replaceAll(
            "(?is)<div[^>]+(?:class=\"?(?:gmail_quote|gmail_extra|moz-cite-prefix|yahoo_quoted)"
                + "|id=\"?(?:appendonsend|divRplyFwdMsg|x_divRplyFwdMsg)).*",
            "\n");
    text = text.replaceAll("(?is)<hr\\b.*", "\n");
    text = text.replaceAll("(?i)<br\\s*/?>|</(p|div|tr|li|h[1-6]|table)\\s*>", "\n");
    text = text.replaceAll("(?s)<[^>]*>", " ");
    text =
        text.replace("&nbsp;", " ")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&apos;", "'");
    text =
        ENTITY_NUMERIC
            .matcher(text)
            .replaceAll(
                m -> {
                  int code = Integer.parseInt(m.group(2), m.group(1).isEmpty() ? 10 : 16);
                  return Character.isValidCodePoint(code)
                      ? java.util.regex.Matcher.quoteReplacement(Character.toString(code))
                      : " ";
                });
    for (String[] entity : NAMED) {
      text = text.replace(entity[0], entity[1]);
    }
    return text.replace("&amp;", "&");
  }

  /** The named entities that occur in the languages we read; the rest are numeric in practice. */
  private static final String[][] NAMED = {
    {"&auml;", "ä"}, {"&ouml;", "ö"}, {"&uuml;", "ü"}, {"&Auml;", "Ä"}, {"&Ouml;", "Ö"},
    {"&Uuml;", "Ü"}, {"&szlig;", "ß"}, {"&eacute;", "é"}, {"&egrave;", "è"}, {"&ecirc;", "ê"},
    {"&agrave;", "à"}, {"&aacute;", "á"}, {"&acirc;", "â"}, {"&atilde;", "ã"}, {"&ccedil;", "ç"},
    {"&iacute;", "í"}, {"&igrave;", "ì"}, {"&oacute;", "ó"}, {"&ograve;", "ò"}, {"&otilde;", "õ"},
    {"&ocirc;", "ô"}, {"&uacute;", "ú"}, {"&ugrave;", "ù"}, {"&ntilde;", "ñ"}, {"&Eacute;", "É"},
    {"&rsquo;", "'"}, {"&lsquo;", "'"}, {"&ndash;", "-"}, {"&mdash;", "-"}, {"&euro;", "€"}
  };
}
