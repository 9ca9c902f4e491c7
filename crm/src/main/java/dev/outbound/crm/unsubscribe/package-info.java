/**
 * The settings of one-click unsubscribe (RFC 8058, {@code outbound.unsubscribe.*}), validated at
 * startup, and the configuration that builds the vocabulary's {@code UnsubscribeTokens} from them:
 * signed tokens that identify a client and an enrolment without any personal data.
 *
 * <p>A token is the only thing the public unsubscribe endpoint trusts, since it is called without
 * cookies or API key: whoever holds a valid token may unsubscribe that one lead, nothing more.
 * Tokens are HMAC-SHA256 signed with {@code outbound.unsubscribe.secret}; a forged, altered,
 * truncated or foreign token is rejected. This package is not picked up by component scanning:
 * applications that issue or verify tokens import {@link
 * dev.outbound.crm.unsubscribe.UnsubscribeConfiguration}, and then do not start without a secret.
 */
package dev.outbound.crm.unsubscribe;
