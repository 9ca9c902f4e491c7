/** The template engine for subjects and bodies: variables, fallbacks and HTML escaping. */
package dev.outbound.vocabulary.template;
