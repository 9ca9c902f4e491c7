package dev.outbound.api.web;

import dev.outbound.crm.admin.LeadCapExceededException;
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
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

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

  /**
   * A body that cannot be read: too large (413), an unknown field (400 naming it: requests are
   * bound to fixed records, and an unknown field is refused rather than ignored so that a caller
   * never believes it set something it did not), a value of the wrong type or JSON that does not
   * parse (400 with where). The messages never repeat the input.
   */
  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof RequestTooLargeException tooLarge) {
        ProblemDetail body =
            ProblemDetail.forStatusAndDetail(
                HttpStatus.CONTENT_TOO_LARGE, tooLargeDetail(tooLarge.limit()));
        return handleExceptionInternal(ex, body, headers, HttpStatus.CONTENT_TOO_LARGE, request);
      }
    }
    JacksonException json = cause(ex, JacksonException.class);
    List<FieldProblem> errors = new ArrayList<>();
    if (json instanceof UnrecognizedPropertyException unknown) {
      errors.add(new FieldProblem(path(unknown), "is not a known field"));
    } else if (json instanceof StreamReadException) {
      errors.add(new FieldProblem("(body)", "is not valid JSON" + at(json)));
    } else if (json != null && !json.getPath().isEmpty()) {
      errors.add(new FieldProblem(path(json), "has the wrong type or format"));
    } else if (json != null) {
      errors.add(new FieldProblem("(body)", "does not have the expected shape" + at(json)));
    } else {
      errors.add(new FieldProblem("(body)", "is missing or cannot be read"));
    }
    return handleExceptionInternal(ex, invalid(errors), headers, HttpStatus.BAD_REQUEST, request);
  }

  /** 409: the campaign is full for this client; nothing was written. */
  @ExceptionHandler(LeadCapExceededException.class)
  ResponseEntity<Object> leadCap(LeadCapExceededException ex, WebRequest request) {
    ProblemDetail body =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.CONFLICT,
            "The campaign holds "
                + ex.current()
                + " leads and may hold at most "
                + ex.cap()
                + "; the "
                + ex.adding()
                + " new leads of this request would pass that cap. Nothing was added.");
    body.setProperty("maxLeadsPerCampaign", ex.cap());
    body.setProperty("currentLeads", ex.current());
    body.setProperty("newLeads", ex.adding());
    return handleExceptionInternal(ex, body, new HttpHeaders(), HttpStatus.CONFLICT, request);
  }

  static String tooLargeDetail(long limit) {
    return "The request body is larger than the limit of " + limit + " bytes.";
  }

  private static <T extends Throwable> T cause(Throwable ex, Class<T> type) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /** {@code steps[1].subject}: the JSON path of the problem, in the style of the field errors. */
  private static String path(JacksonException e) {
    StringBuilder out = new StringBuilder();
    for (JacksonException.Reference ref : e.getPath()) {
      if (ref.getPropertyName() != null) {
        if (!out.isEmpty()) {
          out.append('.');
        }
        out.append(ref.getPropertyName());
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.isEmpty() ? "(body)" : out.toString();
  }

  private static String at(JacksonException e) {
    var location = e.getLocation();
    return location == null || location.getLineNr() < 0
        ? ""
        : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
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
