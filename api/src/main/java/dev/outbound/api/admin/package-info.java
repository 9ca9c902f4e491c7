/**
 * The operator's admin API under {@code /api/v1/admin}: clients (tenants) and their API keys
 * (created with a scope and shown once, listed without secrets, revoked). Guarded by the admin key
 * ({@code OUTBOUND_ADMIN_KEY}), off when it is not set.
 */
package dev.outbound.api.admin;
