package dev.outbound.crm.imports;

/**
 * What an upload was. It decides what a row's position means: the CSV line on which the row starts
 * (the header is line 1), or the index in the JSON array (from 0).
 */
public enum ImportFormat {
  CSV("on line "),
  JSON("at index ");

  private final String where;

  ImportFormat(String where) {
    this.where = where;
  }

  /** A row's position as reasons name it: "on line 7" or "at index 5". */
  public String where(int position) {
    return where + position;
  }
}
