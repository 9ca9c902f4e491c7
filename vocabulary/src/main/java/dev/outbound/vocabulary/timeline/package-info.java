/** The types of the events on a lead's timeline, each with what it means. */
package dev.outbound.vocabulary.timeline;
