package dev.outbound.crm;

/** What an API key may do. */
public enum ApiKeyScope {
  /** Read only: the API answers every method but GET (and HEAD) with 403. */
  READ,
  /** Everything the client may do. */
  FULL
}
