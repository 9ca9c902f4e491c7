package dev.outbound.api.auth;

/**
 * The client (tenant) whose API key authenticated the request. Declare a parameter of this type on
 * a controller method to receive it; every store call is scoped by it.
 */
public record ClientId(long value) {}
