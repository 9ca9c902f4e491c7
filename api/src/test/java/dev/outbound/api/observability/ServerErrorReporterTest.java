package dev.outbound.api.observability;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.same;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.sentry.IScopes;
import io.sentry.ScopeCallback;
import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.DispatcherServlet;

class ServerErrorReporterTest {

  private final IScopes sentry = mock(IScopes.class);
  private final ServerErrorReporter reporter = new ServerErrorReporter(sentry);

  private void answer(int status, Throwable handled) throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/campaigns/1");
    MockHttpServletResponse response = new MockHttpServletResponse();
    reporter.doFilter(
        request,
        response,
        new MockFilterChain(
            new jakarta.servlet.http.HttpServlet() {
              @Override
              protected void service(
                  jakarta.servlet.http.HttpServletRequest req,
                  jakarta.servlet.http.HttpServletResponse res) {
                if (handled != null) {
                  req.setAttribute(DispatcherServlet.EXCEPTION_ATTRIBUTE, handled);
                }
                res.setStatus(status);
              }
            }));
  }

  @Test
  void reportsAHandledExceptionThatBecameA500() throws Exception {
    IllegalStateException failure = new IllegalStateException("bug");

    answer(500, failure);

    verify(sentry).captureException(same(failure), any(ScopeCallback.class));
  }

  @Test
  void doesNotReportProblemDetailsOfTheCallersOwnMaking() throws Exception {
    answer(404, new IllegalArgumentException("campaign 1 not found"));
    answer(400, new IllegalArgumentException("invalid fields"));

    verify(sentry, never()).captureException(any(), any(ScopeCallback.class));
  }

  @Test
  void doesNotReportTemporalBeingUnavailable() throws Exception {
    answer(503, new IllegalStateException("Temporal unreachable"));

    verify(sentry, never()).captureException(any(), any(ScopeCallback.class));
  }

  @Test
  void reportsAnExceptionThatEscapesToTheContainerAndLetsItThrough() {
    IllegalStateException failure = new IllegalStateException("escaped");
    MockFilterChain chain =
        new MockFilterChain() {
          @Override
          public void doFilter(
              jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse response) {
            throw failure;
          }
        };

    assertThatThrownBy(
            () ->
                reporter.doFilter(
                    new MockHttpServletRequest("GET", "/x"), new MockHttpServletResponse(), chain))
        .isSameAs(failure);
    verify(sentry).captureException(same(failure), any(ScopeCallback.class));
  }

  @Test
  void reportsTheCauseOfAServletException() {
    IllegalStateException cause = new IllegalStateException("bug");
    MockFilterChain chain =
        new MockFilterChain() {
          @Override
          public void doFilter(
              jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse response)
              throws ServletException {
            throw new ServletException("Request processing failed", cause);
          }
        };

    assertThatThrownBy(
            () ->
                reporter.doFilter(
                    new MockHttpServletRequest("GET", "/x"), new MockHttpServletResponse(), chain))
        .isInstanceOf(ServletException.class);
    verify(sentry).captureException(same(cause), any(ScopeCallback.class));
  }
}
