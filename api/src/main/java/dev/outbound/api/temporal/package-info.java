/**
 * Starting and signalling workflows through the workflows' clients ({@code
 * dev.outbound.workflows.client}): interfaces, records and those clients only.
 */
package dev.outbound.api.temporal;
