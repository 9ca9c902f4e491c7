package dev.outbound.worker.observability;

import io.sentry.Hint;
import io.sentry.ITransportFactory;
import io.sentry.RequestDetails;
import io.sentry.SentryEnvelope;
import io.sentry.SentryEnvelopeItem;
import io.sentry.SentryEvent;
import io.sentry.SentryItemType;
import io.sentry.SentryOptions;
import io.sentry.transport.ITransport;
import io.sentry.transport.RateLimiter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Sentry transport that keeps what would have been sent: each event as Sentry serialized it (the
 * exact JSON a Sentry server would receive) and read back into an event. Sentry calls a custom
 * transport on the capturing thread, so an event is here as soon as the capture returns.
 */
public class CapturingTransport implements ITransport, ITransportFactory {

  /** One captured event: its JSON and the event read back from it. */
  public record Captured(String json, SentryEvent event) {
    public String tag(String name) {
      return event.getTag(name);
    }
  }

  private final List<Captured> events = new CopyOnWriteArrayList<>();
  private volatile SentryOptions options;

  @Override
  public ITransport create(SentryOptions options, RequestDetails requestDetails) {
    this.options = options;
    return this;
  }

  @Override
  public void send(SentryEnvelope envelope, Hint hint) {
    for (SentryEnvelopeItem item : envelope.getItems()) {
      if (item.getHeader().getType() != SentryItemType.Event) {
        continue;
      }
      try {
        String json = new String(item.getData(), StandardCharsets.UTF_8);
        events.add(new Captured(json, item.getEvent(options.getSerializer())));
      } catch (Exception e) {
        throw new IllegalStateException("unreadable Sentry event", e);
      }
    }
  }

  public List<Captured> events() {
    return List.copyOf(events);
  }

  public List<Captured> eventsTagged(String tag, String value) {
    return events.stream().filter(e -> value.equals(e.tag(tag))).toList();
  }

  public void clear() {
    events.clear();
  }

  @Override
  public void flush(long timeoutMillis) {}

  @Override
  public RateLimiter getRateLimiter() {
    return null;
  }

  @Override
  public void close(boolean isRestarting) {}

  @Override
  public void close() {}
}
