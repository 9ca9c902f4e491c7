package dev.outbound.crm.network;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which hosts Outbound may be pointed at by its users (mailbox SMTP/IMAP servers) and operators
 * (the alert webhook).
 *
 * @param allowPrivateHosts when true, hosts that resolve to loopback, private, link-local
 *     (including cloud metadata) or other internal addresses are accepted. Off by default so that a
 *     client's API key cannot make the system connect to internal services; the local launcher and
 *     tests, whose mail servers are on localhost, turn it on ({@code
 *     OUTBOUND_ALLOW_PRIVATE_HOSTS}).
 */
@ConfigurationProperties("outbound.network")
public record NetworkProperties(@DefaultValue("false") boolean allowPrivateHosts) {}
