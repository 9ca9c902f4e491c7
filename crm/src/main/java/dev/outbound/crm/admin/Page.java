package dev.outbound.crm.admin;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param items the rows of this page
 * @param page the page number, starting at 0
 * @param size the requested page size
 * @param total the number of rows over all pages
 */
public record Page<T>(List<T> items, int page, int size, long total) {

  public Page {
    items = List.copyOf(items);
  }
}
