/**
 * The CRM tables: PostgreSQL schema (Flyway migrations under {@code db/migration}) and the stores
 * that read and write them.
 *
 * <p>Stores use explicit SQL through {@code JdbcClient} rather than derived repository queries, so
 * that every statement visibly filters on {@code client_id}: a tenant can never read or change
 * another tenant's rows through a forgotten predicate. Each store method takes the client ID first.
 */
package dev.outbound.crm;
