/**
 * Abuse limits of the clients' API: request rate limits per API key (token buckets in memory, 429
 * with {@code Retry-After}). Request body sizes are limited in {@code dev.outbound.api.web} and
 * leads per campaign in the CRM store, which every write path shares.
 */
package dev.outbound.api.limits;
