/**
 * The public one-click unsubscribe endpoint ({@code /u/{token}}, RFC 8058), reached from the {@code
 * List-Unsubscribe} header and the footer of every email. It lies outside {@code /api/**}, so it
 * takes no API key and no cookie: the signed token is the only credential, and it can unsubscribe
 * its one person of its one client, nothing more. {@code GET} only shows a page (link scanners
 * fetch links); {@code POST} acts.
 */
package dev.outbound.api.unsubscribe;
