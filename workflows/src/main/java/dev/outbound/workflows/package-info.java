/**
 * Outbound's workflows, the activity interfaces they call and the records they exchange.
 *
 * <p>This package compiles against the Temporal SDK only (the build's enforcer rule fails
 * otherwise), so everything here is deterministic workflow code or plain data. Records carry
 * internal IDs and non-personal data only: email addresses, names and message bodies stay in
 * PostgreSQL and are loaded by activities.
 */
package dev.outbound.workflows;
