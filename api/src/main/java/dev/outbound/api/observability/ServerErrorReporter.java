package dev.outbound.api.observability;

import dev.outbound.api.auth.ClientId;
import io.sentry.IScopes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.util.WebUtils;

/**
 * Reports unexpected server errors of the API to Sentry: see the package documentation for which.
 * Runs inside Sentry's own request filter, so each event also carries the request (method and URL;
 * no headers that identify anyone, no body: {@code send-default-pii} is off).
 */
public class ServerErrorReporter extends OncePerRequestFilter {

  private final IScopes sentry;

  public ServerErrorReporter(IScopes sentry) {
    this.sentry = sentry;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    try {
      chain.doFilter(request, response);
    } catch (ServletException | IOException | RuntimeException e) {
      report(request, e instanceof ServletException s && s.getCause() != null ? s.getCause() : e);
      throw e;
    }
    int status = response.getStatus();
    if (status >= 500 && status != HttpStatus.SERVICE_UNAVAILABLE.value()) {
      Throwable handled = handledException(request);
      if (handled != null) {
        report(request, handled);
      }
    }
  }

  /** The exception an exception handler turned into this answer, as Spring MVC records it. */
  private static Throwable handledException(HttpServletRequest request) {
    for (String attribute :
        new String[] {DispatcherServlet.EXCEPTION_ATTRIBUTE, WebUtils.ERROR_EXCEPTION_ATTRIBUTE}) {
      if (request.getAttribute(attribute) instanceof Throwable t) {
        return t;
      }
    }
    return null;
  }

  private void report(HttpServletRequest request, Throwable failure) {
    Object route = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
    ClientId client = clientOf(request);
    sentry.captureException(
        failure,
        scope -> {
          // The route template ("/api/v1/leads/{id}") groups requests that differ only in IDs.
          scope.setTransaction(
              request.getMethod() + " " + (route != null ? route : request.getRequestURI()));
          if (route != null) {
            scope.setTag("http.route", route.toString());
          }
          if (client != null) {
            scope.setTag("client.id", Long.toString(client.value()));
          }
        });
  }

  /** The client whose API key authenticated the request, stored by the auth interceptor. */
  private static ClientId clientOf(HttpServletRequest request) {
    for (String name : Collections.list(request.getAttributeNames())) {
      if (request.getAttribute(name) instanceof ClientId client) {
        return client;
      }
    }
    return null;
  }
}
