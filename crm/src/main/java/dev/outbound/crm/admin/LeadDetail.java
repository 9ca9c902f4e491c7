package dev.outbound.crm.admin;

import java.time.Instant;

/**
 * One lead in full; {@code fieldsJson} is the JSON object of its extra fields, {@code mailboxId}
 * the mailbox its emails come from (null until its first send is prepared).
 */
public record LeadDetail(
    long id,
    long campaignId,
    String email,
    String firstName,
    String lastName,
    String company,
    String timezone,
    String country,
    Long mailboxId,
    String fieldsJson,
    String status,
    int currentStep,
    Instant nextSendAt,
    String lastOutcome,
    Instant createdAt,
    Instant startedAt) {}
