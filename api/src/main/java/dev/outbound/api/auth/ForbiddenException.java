package dev.outbound.api.auth;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** 403: the caller is known but may not do this (a read-only key writing, the admin API off). */
class ForbiddenException extends ErrorResponseException {

  ForbiddenException(String detail) {
    super(
        HttpStatus.FORBIDDEN, ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, detail), null);
  }
}
