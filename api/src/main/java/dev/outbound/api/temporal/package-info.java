/**
 * Starting and signalling workflows through {@code WorkflowClient}: interfaces and records only.
 */
package dev.outbound.api.temporal;
