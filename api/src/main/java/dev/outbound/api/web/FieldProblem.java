package dev.outbound.api.web;

/** One invalid field of a request, e.g. {@code steps[1].delay}, and what is wrong with it. */
public record FieldProblem(String field, String message) {}
