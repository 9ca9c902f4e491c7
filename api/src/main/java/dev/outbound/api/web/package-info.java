/**
 * What every endpoint shares: errors as RFC 9457 problem details ({@code
 * application/problem+json}), the checks bean validation cannot express (time zones, ISO-8601
 * durations, templates), paging, the API's settings and the OpenAPI description.
 */
package dev.outbound.api.web;
