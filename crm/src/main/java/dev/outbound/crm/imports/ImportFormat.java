package dev.outbound.crm.imports;

/**
 * What an upload was. It decides what a row's position means: the CSV line on which the row starts
 * (the header is line 1), or the index in the JSON array (from 0).
 */
public enum ImportFormat {
  CSV("line"),
  JSON("index");

  private final String positionName;

  ImportFormat(String positionName) {
    this.positionName = positionName;
  }

  /** How a row's position is called in reasons: "line" or "index". */
  public String positionName() {
    return positionName;
  }
}
