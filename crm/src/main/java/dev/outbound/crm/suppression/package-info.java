/**
 * The suppression list: addresses and whole domains a client must never mail again (unsubscribed,
 * hard-bounced, complained, or added by an operator).
 *
 * <p>It is checked twice: when leads are imported ({@link
 * dev.outbound.crm.suppression.SuppressionStore#suppressedAmong}) and inside the send activity
 * right before a send is claimed ({@link
 * dev.outbound.crm.suppression.SuppressionStore#isSuppressed}), so a suppression that races a send
 * still wins. A domain entry covers its subdomains too. Values are kept in one normal form ({@link
 * dev.outbound.vocabulary.address.SuppressionValues}) so that the unique constraint and the lookups
 * are case-insensitive without functions on the column.
 */
package dev.outbound.crm.suppression;
