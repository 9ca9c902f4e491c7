/**
 * The operator's setting for where Outbound may connect ({@code outbound.network.*}): whether user-
 * and operator-named hosts (mailbox SMTP/IMAP servers, the alert webhook) may be internal
 * addresses. The policy itself is the vocabulary's {@code HostPolicy}, which {@code
 * CrmConfiguration} builds from this setting.
 */
package dev.outbound.crm.network;
