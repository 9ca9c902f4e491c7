package dev.outbound.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.ErrorResponseException;

class AdminKeyInterceptorTest {

  private static MockHttpServletRequest request(String key) {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/admin/clients");
    request.addHeader("Authorization", "Bearer " + key);
    return request;
  }

  @Test
  void answers403WhenNoAdminKeyIsConfigured() {
    AdminKeyInterceptor off = new AdminKeyInterceptor(new AdminProperties(""));

    assertThatThrownBy(() -> off.preHandle(request(""), new MockHttpServletResponse(), null))
        .isInstanceOfSatisfying(
            ErrorResponseException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
              assertThat(e.getBody().getDetail()).contains("OUTBOUND_ADMIN_KEY");
            });
  }

  @Test
  void letsOnlyTheConfiguredKeyThrough() throws Exception {
    AdminKeyInterceptor on = new AdminKeyInterceptor(new AdminProperties(" the-admin-key "));

    assertThat(on.preHandle(request("the-admin-key"), new MockHttpServletResponse(), null))
        .isTrue();
    assertThatThrownBy(
            () -> on.preHandle(request("the-admin-kez"), new MockHttpServletResponse(), null))
        .isInstanceOfSatisfying(
            ErrorResponseException.class,
            e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED));
    assertThat(new AdminProperties("the-admin-key").toString()).doesNotContain("the-admin-key");
  }
}
