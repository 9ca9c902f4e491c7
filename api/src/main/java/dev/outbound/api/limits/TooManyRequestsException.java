package dev.outbound.api.limits;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** 429 with {@code Retry-After} (whole seconds), rendered as a problem detail. */
class TooManyRequestsException extends ErrorResponseException {

  TooManyRequestsException(long retryAfterSeconds, int perMinute) {
    super(HttpStatus.TOO_MANY_REQUESTS, body(retryAfterSeconds, perMinute), null);
    getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
  }

  private static ProblemDetail body(long retryAfterSeconds, int perMinute) {
    ProblemDetail body =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.TOO_MANY_REQUESTS,
            "Too many requests with this API key (at most "
                + perMinute
                + " a minute); retry after "
                + retryAfterSeconds
                + " s.");
    body.setProperty("retryAfterSeconds", retryAfterSeconds);
    return body;
  }
}
