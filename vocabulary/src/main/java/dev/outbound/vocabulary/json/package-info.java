/** The small amount of JSON written by hand, escaped by Jackson's encoder. */
package dev.outbound.vocabulary.json;
