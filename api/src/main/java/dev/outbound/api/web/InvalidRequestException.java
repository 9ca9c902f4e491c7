package dev.outbound.api.web;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * 400 listing the invalid fields in the problem's {@code errors} property, like bean validation.
 */
public class InvalidRequestException extends ErrorResponseException {

  private final List<FieldProblem> errors;

  public InvalidRequestException(List<FieldProblem> errors) {
    super(HttpStatus.BAD_REQUEST, body(errors), null);
    this.errors = List.copyOf(errors);
  }

  public InvalidRequestException(String field, String message) {
    this(List.of(new FieldProblem(field, message)));
  }

  public List<FieldProblem> errors() {
    return errors;
  }

  private static ProblemDetail body(List<FieldProblem> errors) {
    ProblemDetail body =
        ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ProblemHandling.INVALID_FIELDS);
    body.setProperty("errors", List.copyOf(errors));
    return body;
  }
}
