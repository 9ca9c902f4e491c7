/**
 * Authentication by API key ({@code Authorization: Bearer <key>}, stored hashed) and the {@link
 * dev.outbound.api.auth.ClientId} every controller method is scoped by. No Spring Security: one
 * interceptor, one argument resolver.
 */
package dev.outbound.api.auth;
