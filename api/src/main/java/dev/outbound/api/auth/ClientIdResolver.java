package dev.outbound.api.auth;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Hands the authenticated {@link ClientId} to controller methods that declare it. */
class ClientIdResolver implements HandlerMethodArgumentResolver {

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return parameter.getParameterType() == ClientId.class;
  }

  @Override
  public ClientId resolveArgument(
      MethodParameter parameter,
      ModelAndViewContainer mavContainer,
      NativeWebRequest webRequest,
      WebDataBinderFactory binderFactory) {
    Object client =
        webRequest.getAttribute(
            ApiKeyInterceptor.CLIENT_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
    if (client == null) {
      // Only reachable if a controller outside /api/** asks for a client: a programming error.
      throw new IllegalStateException("no authenticated client on this request");
    }
    return (ClientId) client;
  }
}
