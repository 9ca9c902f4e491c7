/**
 * The shared vocabulary of Outbound: plain Java that every other module, the workflows included,
 * may use. No Spring, no JDBC, no I/O of its own (the host policy resolves names through a resolver
 * its caller passes); the module's enforcer rule and {@code PlainJavaTest} keep it so.
 */
package dev.outbound.vocabulary;
