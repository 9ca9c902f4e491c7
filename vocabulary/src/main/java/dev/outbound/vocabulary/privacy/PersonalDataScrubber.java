package dev.outbound.vocabulary.privacy;

import io.sentry.Breadcrumb;
import io.sentry.EventProcessor;
import io.sentry.Hint;
import io.sentry.SentryEvent;
import io.sentry.protocol.Message;
import io.sentry.protocol.SentryException;
import java.util.regex.Pattern;

/**
 * Replaces anything that looks like an email address in an event's exception messages, message and
 * breadcrumbs with {@code [email]}. Our own failure messages carry internal IDs only, but a
 * driver's or a mail server's (a duplicate key, a rejected recipient) may quote an address. The api
 * and the worker both register it.
 */
public class PersonalDataScrubber implements EventProcessor {

  public static final String REPLACEMENT = "[email]";
  private static final Pattern EMAIL =
      Pattern.compile("[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*");

  @Override
  public SentryEvent process(SentryEvent event, Hint hint) {
    if (event.getExceptions() != null) {
      for (SentryException exception : event.getExceptions()) {
        exception.setValue(scrub(exception.getValue()));
      }
    }
    Message message = event.getMessage();
    if (message != null) {
      message.setMessage(scrub(message.getMessage()));
      message.setFormatted(scrub(message.getFormatted()));
    }
    if (event.getBreadcrumbs() != null) {
      for (Breadcrumb breadcrumb : event.getBreadcrumbs()) {
        breadcrumb.setMessage(scrub(breadcrumb.getMessage()));
      }
    }
    return event;
  }

  /** Runs after Sentry's own processors, which turn the exception into the values scrubbed here. */
  @Override
  public Long getOrder() {
    return Long.MAX_VALUE;
  }

  /** {@code text} with every email address replaced; {@code null} stays {@code null}. */
  public static String scrub(String text) {
    return text == null ? null : EMAIL.matcher(text).replaceAll(REPLACEMENT);
  }
}
