package dev.outbound.api.hooks;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** 401 for a webhook request whose signature is missing, wrong or stale; nothing was changed. */
class UnauthorizedWebhookException extends ErrorResponseException {

  UnauthorizedWebhookException(String detail) {
    super(
        HttpStatus.UNAUTHORIZED,
        ProblemDetail.forStatusAndDetail(
            HttpStatus.UNAUTHORIZED, detail + "; nothing was changed."),
        null);
  }
}
