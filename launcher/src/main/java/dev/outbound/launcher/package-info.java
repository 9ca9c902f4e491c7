/**
 * The local launcher: one JVM with the API, the worker and embedded twins of every external part
 * that the environment does not provide (Temporal test server, PostgreSQL, SMTP/IMAP). For
 * development, demos and the end-to-end tests; production runs the api and worker deployables
 * instead.
 */
package dev.outbound.launcher;
