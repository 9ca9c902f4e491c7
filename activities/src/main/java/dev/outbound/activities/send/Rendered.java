package dev.outbound.activities.send;

/**
 * One step's email as the lead gets it: the subject, and the plain-text and HTML bodies with the
 * unsubscribe footer. {@link #toString()} leaves the content out, because it holds the lead's
 * personal data.
 */
record Rendered(String subject, String text, String html) {

  @Override
  public String toString() {
    return "Rendered[personal data omitted]";
  }
}
