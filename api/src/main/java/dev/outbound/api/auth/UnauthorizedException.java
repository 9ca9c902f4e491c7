package dev.outbound.api.auth;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** 401 with {@code WWW-Authenticate: Bearer}, rendered as a problem detail. */
class UnauthorizedException extends ErrorResponseException {

  UnauthorizedException(String detail) {
    super(
        HttpStatus.UNAUTHORIZED,
        ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, detail),
        null);
    getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
  }
}
