package dev.outbound.activities;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Process-wide Jakarta Mail settings the worker needs before its first message.
 *
 * <p>Jakarta Mail 2.1 looks up its {@code StreamProvider} again every time a body part, a multipart
 * or a header block is created ({@code StreamProvider.provider()}, jakartaee/mail-api issues 699
 * and 861): a {@code ServiceLoader} scan of every jar on the class path, under the jar files'
 * locks. Measured by the send benchmark (docs/benchmarks.md) with JFR, it was two thirds of the
 * worker's CPU samples while sending. The API's own first step is a system property naming the
 * provider class; with it set, the lookup is one cached class load. It is set only when nobody set
 * it, and only to the Angus implementation this application ships.
 */
public final class JakartaMail {

  private static final Logger log = LoggerFactory.getLogger(JakartaMail.class);

  /** The property Jakarta Mail's factory finder reads first (the interface's class name). */
  static final String STREAM_PROVIDER_PROPERTY = "jakarta.mail.util.StreamProvider";

  /** Angus Mail's provider, the one its {@code META-INF/services} entry names. */
  static final String ANGUS_STREAM_PROVIDER = "org.eclipse.angus.mail.util.MailStreamProvider";

  private static volatile boolean configured;

  private JakartaMail() {}

  /** Names the stream provider once per process, unless the property is set already. */
  public static void configure() {
    if (configured) {
      return;
    }
    synchronized (JakartaMail.class) {
      if (configured) {
        return;
      }
      if (System.getProperty(STREAM_PROVIDER_PROPERTY) == null) {
        try {
          Class.forName(ANGUS_STREAM_PROVIDER, false, JakartaMail.class.getClassLoader());
          System.setProperty(STREAM_PROVIDER_PROPERTY, ANGUS_STREAM_PROVIDER);
        } catch (ClassNotFoundException e) {
          log.warn(
              "Angus Mail's stream provider is not on the class path; Jakarta Mail will look one"
                  + " up for every message part");
        }
      }
      configured = true;
    }
  }
}
