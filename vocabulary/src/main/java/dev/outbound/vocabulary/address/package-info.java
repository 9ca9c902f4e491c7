/** Email addresses and domains as the suppression list and the tokens compare them. */
package dev.outbound.vocabulary.address;
