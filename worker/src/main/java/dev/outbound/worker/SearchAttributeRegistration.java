package dev.outbound.worker;

import dev.outbound.workflows.OutboundSearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Registers {@link OutboundSearchAttributes} on start when {@code
 * outbound.worker.register-search-attributes} is on: against the launcher's embedded server or a
 * local {@code temporal server start-dev}, so the lead workflows can set them and the Web UI can
 * filter by them. Runs before the workers start polling (application runners come before the ready
 * event that starts them). One already registered is fine; in production the infra Job does this
 * instead.
 */
@Component
class SearchAttributeRegistration implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(SearchAttributeRegistration.class);

  private final WorkerProperties properties;
  private final WorkflowServiceStubs service;
  private final String namespace;

  SearchAttributeRegistration(
      WorkerProperties properties,
      WorkflowServiceStubs service,
      @Value("${spring.temporal.namespace:default}") String namespace) {
    this.properties = properties;
    this.service = service;
    this.namespace = namespace;
  }

  @Override
  public void run(ApplicationArguments args) {
    if (!properties.registerSearchAttributes()) {
      return;
    }
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setChannel(service.getRawChannel())
                .validateAndBuildWithDefaults());
    try {
      for (SearchAttributeKey<?> key : OutboundSearchAttributes.ALL) {
        try {
          operator
              .blockingStub()
              .addSearchAttributes(
                  AddSearchAttributesRequest.newBuilder()
                      .setNamespace(namespace)
                      .putSearchAttributes(key.getName(), key.getValueType())
                      .build());
          log.info("Registered search attribute {} ({})", key.getName(), key.getValueType());
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
            throw e;
          }
        }
      }
    } finally {
      // The channel is the workflow service's: only these stubs are let go.
      operator.shutdown();
    }
  }
}
