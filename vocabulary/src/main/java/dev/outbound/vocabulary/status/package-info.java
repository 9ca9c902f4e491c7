/**
 * Lead and campaign statuses and the transitions between them. Every set of statuses the stores,
 * the API and the workflows use is derived from these enums, so each status is spelled once.
 */
package dev.outbound.vocabulary.status;
