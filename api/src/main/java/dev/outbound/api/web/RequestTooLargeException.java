package dev.outbound.api.web;

import java.io.IOException;

/**
 * Thrown while a request body is read, once it passes its size limit. An {@link IOException} so
 * that it travels through the JSON reader; {@link ProblemHandling} turns it into 413.
 */
public class RequestTooLargeException extends IOException {

  private final long limit;

  public RequestTooLargeException(long limit) {
    super("the request body is larger than " + limit + " bytes");
    this.limit = limit;
  }

  public long limit() {
    return limit;
  }
}
