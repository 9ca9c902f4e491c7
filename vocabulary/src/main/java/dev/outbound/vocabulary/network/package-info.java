/** Which hosts Outbound may connect to (no internal addresses unless an operator allows them). */
package dev.outbound.vocabulary.network;
