/**
 * Where Outbound may connect: the host policy that keeps user- and operator-named hosts (mailbox
 * SMTP/IMAP servers, the alert webhook) away from internal addresses unless an operator allows
 * them.
 */
package dev.outbound.crm.network;
