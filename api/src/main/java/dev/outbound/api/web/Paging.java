package dev.outbound.api.web;

import java.util.ArrayList;
import java.util.List;

/**
 * A checked page request: {@code page} counts from 0, {@code size} is between 1 and the configured
 * maximum.
 */
public record Paging(int page, int size) {

  /** Applies the defaults and limits; a bad value is a 400 naming the parameter. */
  public static Paging of(Integer page, Integer size, ApiProperties properties) {
    List<FieldProblem> errors = new ArrayList<>();
    int p = page == null ? 0 : page;
    int s = size == null ? properties.defaultPageSize() : size;
    if (p < 0) {
      errors.add(new FieldProblem("page", "must be 0 or more (pages count from 0)"));
    }
    if (s < 1 || s > properties.maxPageSize()) {
      errors.add(new FieldProblem("size", "must be between 1 and " + properties.maxPageSize()));
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    return new Paging(p, s);
  }
}
