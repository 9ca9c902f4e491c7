package dev.outbound.crm.admin;

import java.time.Instant;

/** A lead as listed. */
public record LeadRow(
    long id,
    String email,
    String firstName,
    String lastName,
    String company,
    String status,
    int currentStep,
    Instant nextSendAt) {}
