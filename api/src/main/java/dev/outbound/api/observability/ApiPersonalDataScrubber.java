package dev.outbound.api.observability;

import io.sentry.Breadcrumb;
import io.sentry.EventProcessor;
import io.sentry.Hint;
import io.sentry.SentryEvent;
import io.sentry.protocol.Message;
import io.sentry.protocol.SentryException;
import java.util.regex.Pattern;

/**
 * Replaces anything that looks like an email address in an event's exception messages, message and
 * breadcrumbs with {@code [email]}: a database error about a lead (a duplicate key, say) may quote
 * its address. (The worker has the same processor; the two apps share no module for it.)
 */
public class ApiPersonalDataScrubber implements EventProcessor {

  static final String REPLACEMENT = "[email]";
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

  static String scrub(String text) {
    return text == null ? null : EMAIL.matcher(text).replaceAll(REPLACEMENT);
  }
}
