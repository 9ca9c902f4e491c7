package dev.outbound.crm.sequence;

/** A step's index and its delay after the previous step, as the sequence plan needs them. */
public record StepDelay(int index, long delaySeconds) {}
