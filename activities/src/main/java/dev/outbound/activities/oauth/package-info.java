/**
 * OAuth2 access tokens for the mailboxes that log in with SASL XOAUTH2: obtained from the
 * provider's token endpoint (refresh token, client credentials, or a service account's signed JWT),
 * cached per mailbox, refreshed before expiry and once for all concurrent callers.
 */
package dev.outbound.activities.oauth;
