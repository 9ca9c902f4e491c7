package dev.outbound.crm.imports;

/**
 * Why a row of an upload was not imported.
 *
 * @param position the CSV line on which the row starts, or its index in the JSON array
 * @param field the field the reason is about (e.g. {@code email}), or empty for the whole row
 * @param reason what is wrong, without the value itself
 */
public record RowRejection(int position, String field, String reason) {}
