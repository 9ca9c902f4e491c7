package dev.outbound.api.web;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as an RFC 9457 problem detail. Spring's handler covers malformed JSON, type
 * mismatches, unknown paths and {@link ErrorResponseException}s (ours: 400, 401, 404, 409, 503);
 * this adds the list of invalid fields to validation errors and hides the details of unexpected
 * failures.
 */
@RestControllerAdvice
class ProblemHandling extends ResponseEntityExceptionHandler {

  static final String INVALID_FIELDS = "The request has invalid fields; see 'errors'.";

  private static final Logger log = LoggerFactory.getLogger(ProblemHandling.class);

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    List<FieldProblem> errors = new ArrayList<>();
    for (FieldError e : ex.getBindingResult().getFieldErrors()) {
      errors.add(new FieldProblem(e.getField(), e.getDefaultMessage()));
    }
    ex.getBindingResult()
        .getGlobalErrors()
        .forEach(e -> errors.add(new FieldProblem(e.getObjectName(), e.getDefaultMessage())));
    errors.sort((a, b) -> a.field().compareTo(b.field()));
    return handleExceptionInternal(ex, invalid(errors), headers, status, request);
  }

  @Override
  protected ResponseEntity<Object> handleHandlerMethodValidationException(
      HandlerMethodValidationException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    List<FieldProblem> errors = new ArrayList<>();
    ex.getParameterValidationResults()
        .forEach(
            result -> {
              String name = result.getMethodParameter().getParameterName();
              for (MessageSourceResolvable error : result.getResolvableErrors()) {
                errors.add(new FieldProblem(name, error.getDefaultMessage()));
              }
            });
    return handleExceptionInternal(ex, invalid(errors), headers, status, request);
  }

  /** Anything else is our fault: log it with its cause, answer without internals. */
  @ExceptionHandler(Exception.class)
  ResponseEntity<Object> unexpected(Exception ex, WebRequest request) {
    log.error("Unexpected error on {}", request.getDescription(false), ex);
    ProblemDetail body =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred; it has been logged.");
    return handleExceptionInternal(
        ex, body, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
  }

  private static ProblemDetail invalid(List<FieldProblem> errors) {
    ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, INVALID_FIELDS);
    body.setProperty("errors", errors);
    return body;
  }
}
