/**
 * Error reporting from the worker to Sentry, on only when {@code SENTRY_DSN} is set.
 *
 * <p>Sentry's Spring integration sees HTTP errors only; the worker's failures happen in activities
 * and workflows, so a Temporal worker interceptor ({@link SentryWorkerInterceptor}) reports them:
 *
 * <ul>
 *   <li>an activity failure once Temporal will not retry it any more (the last allowed attempt, or
 *       a non-retryable failure), never its intermediate attempts, so an outage that retries until
 *       it passes reports nothing, and failure types that are business outcomes (a recipient
 *       rejected) are not reported at all ({@code outbound.errors.expected-failure-types});
 *   <li>a workflow failure, and a workflow task that fails on a bug (once per run and worker),
 *       never while the workflow is replaying its history, which would repeat old failures.
 * </ul>
 *
 * <p>Events are tagged with the workflow type and ID, the activity type, and the campaign, lead and
 * client IDs, read from the workflow ID ({@code campaign-12-lead-345}) and the ID records among the
 * arguments. No argument values are attached, and {@code PersonalDataScrubber} (vocabulary module,
 * shared with the api) replaces anything that looks like an email address in exception messages, so
 * no lead data reaches Sentry.
 */
package dev.outbound.worker.observability;
