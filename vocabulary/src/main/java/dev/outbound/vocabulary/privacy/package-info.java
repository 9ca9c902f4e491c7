/** Keeping personal data out of error reports (Sentry). */
package dev.outbound.vocabulary.privacy;
