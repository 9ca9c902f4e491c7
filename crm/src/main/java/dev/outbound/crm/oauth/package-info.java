/**
 * OAuth2 for mailboxes, on the database side: each mailbox's stored login ({@link
 * dev.outbound.crm.oauth.OAuthLogin}), the clients' own OAuth apps and app-only domains, and the
 * consents in progress. Secrets are encrypted with the mailbox credentials' cipher before they
 * reach the database and are never shown.
 */
package dev.outbound.crm.oauth;
