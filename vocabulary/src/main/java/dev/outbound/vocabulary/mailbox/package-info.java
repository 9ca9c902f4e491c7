/**
 * What kinds of mailbox Outbound can send from and read: the providers with their published
 * settings ({@link dev.outbound.vocabulary.mailbox.MailProvider}), how a mailbox logs in ({@link
 * dev.outbound.vocabulary.mailbox.MailboxAuth}) and how an OAuth2 login was granted ({@link
 * dev.outbound.vocabulary.mailbox.OAuthGrant}).
 */
package dev.outbound.vocabulary.mailbox;
