/**
 * Lead imports: an upload of up to 100,000 leads, staged durably and then written to the campaign
 * in batches, each batch all-or-nothing and written at most once.
 *
 * <p>The API parses and checks the upload and hands the result to {@link
 * dev.outbound.crm.imports.LeadImportStore#create}, which stores the import, its staged rows and
 * the rows it rejected in one transaction; {@link dev.outbound.crm.imports.LeadImportStore} also
 * keeps the import's status (queued, running, done, failed). {@link
 * dev.outbound.crm.imports.ImportBatchStore#commitBatch} then writes one batch through {@link
 * dev.outbound.crm.admin.LeadStore#add}, the same code that {@code POST
 * /api/v1/campaigns/{id}/leads} uses, so both paths apply the same duplicate and enrolment rules.
 * The rejected rows of both steps are {@link dev.outbound.crm.imports.ImportRejectionStore}'s.
 * Every statement filters on {@code client_id}, except {@link
 * dev.outbound.crm.imports.LeadImportStore#unfinished}, which an application asks once at startup
 * to resume the imports of every client.
 */
package dev.outbound.crm.imports;
