/**
 * The client's suppression list over the API: list, add (an address or a whole domain) and remove
 * entries. Entries are checked when leads are imported and again inside the send activity.
 */
package dev.outbound.api.suppression;
