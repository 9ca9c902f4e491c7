package dev.outbound.api.imports;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** 413: the upload has more bytes or rows than an import takes; the problem says the limit. */
final class UploadTooLargeException extends ErrorResponseException {

  private UploadTooLargeException(String detail, String property, long limit) {
    super(HttpStatus.CONTENT_TOO_LARGE, problem(detail, property, limit), null);
  }

  static UploadTooLargeException bytes(long maxBytes) {
    return new UploadTooLargeException(
        "The upload is larger than " + maxBytes + " bytes; split it into several imports.",
        "maxBytes",
        maxBytes);
  }

  static UploadTooLargeException rows(int maxRows) {
    return new UploadTooLargeException(
        "The upload has more than " + maxRows + " rows; split it into several imports.",
        "maxRows",
        maxRows);
  }

  private static ProblemDetail problem(String detail, String property, long limit) {
    ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, detail);
    body.setProperty(property, limit);
    return body;
  }
}
