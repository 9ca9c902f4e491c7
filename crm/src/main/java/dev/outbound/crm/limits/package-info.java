/**
 * Per-client limits that the worker enforces while sending ({@link
 * dev.outbound.crm.limits.ClientSendCap}).
 */
package dev.outbound.crm.limits;
