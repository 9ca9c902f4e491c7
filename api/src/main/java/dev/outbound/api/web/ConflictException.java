package dev.outbound.api.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * 409: the request is valid but the current state does not allow it (e.g. starting a stopped
 * campaign).
 */
public class ConflictException extends ErrorResponseException {

  public ConflictException(String detail) {
    super(HttpStatus.CONFLICT, ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, detail), null);
  }

  /** Adds a property to the problem, e.g. the current status. */
  public ConflictException with(String name, Object value) {
    getBody().setProperty(name, value);
    return this;
  }
}
