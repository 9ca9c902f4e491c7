/**
 * Lead imports over HTTP: {@code POST /api/v1/campaigns/{id}/imports} takes a CSV file or a JSON
 * array of leads, checks every row with the rules of {@code POST .../leads} ({@link
 * dev.outbound.api.leads.LeadValidation}), stores the import durably (crm {@link
 * dev.outbound.crm.imports.LeadImportStore}) and writes it in batches, at once for small uploads or
 * on a background runner for large ones ({@code 202} and {@code GET /api/v1/imports/{id}} to poll).
 * The runner resumes unfinished imports when the application starts.
 */
package dev.outbound.api.imports;
