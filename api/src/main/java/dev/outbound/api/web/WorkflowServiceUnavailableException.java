package dev.outbound.api.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * 503: the change is saved in the database but Temporal did not take the start or signal. Every
 * control call is idempotent, so repeating it repairs the state.
 */
public class WorkflowServiceUnavailableException extends ErrorResponseException {

  public WorkflowServiceUnavailableException(String detail, Throwable cause) {
    super(
        HttpStatus.SERVICE_UNAVAILABLE,
        ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail),
        cause);
  }

  /** Adds a property to the problem. */
  public WorkflowServiceUnavailableException with(String name, Object value) {
    getBody().setProperty(name, value);
    return this;
  }
}
