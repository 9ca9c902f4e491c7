/**
 * Keyed secrets: signed unsubscribe tokens (with key rotation) and the cipher that encrypts mailbox
 * credentials at rest. Keys come from the caller; nothing here reads the environment.
 */
package dev.outbound.vocabulary.tokens;
