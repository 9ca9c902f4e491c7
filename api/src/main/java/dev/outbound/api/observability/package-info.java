/**
 * Error reporting from the API to Sentry, on only when {@code SENTRY_DSN} is set.
 *
 * <p>Every error answer is a problem detail rendered by {@code web.ProblemHandling}, which handles
 * unexpected exceptions too, so Sentry's own exception resolver never sees one. {@link
 * ServerErrorReporter} therefore reports from the outside: a request that ends in a 5xx answer with
 * an exception behind it (or whose exception escapes to the container) is captured once, tagged
 * with the route and the client ID. 4xx problem details (validation, 401, 404, 409) are the
 * caller's business and never reported; nor is 503, which means Temporal is unreachable, a state
 * the readiness probe already shows (one report per request during an outage would bury the rest).
 * {@code PersonalDataScrubber} (vocabulary module, shared with the worker) replaces email addresses
 * in exception messages.
 */
package dev.outbound.api.observability;
