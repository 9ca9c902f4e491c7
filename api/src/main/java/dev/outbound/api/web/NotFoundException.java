package dev.outbound.api.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * 404 for an ID the client does not own. IDs of other clients get exactly this answer, so a
 * response never tells whether such an ID exists.
 */
public class NotFoundException extends ErrorResponseException {

  public NotFoundException(String what, long id) {
    super(
        HttpStatus.NOT_FOUND,
        ProblemDetail.forStatusAndDetail(
            HttpStatus.NOT_FOUND, "No " + what + " with ID " + id + "."),
        null);
  }
}
