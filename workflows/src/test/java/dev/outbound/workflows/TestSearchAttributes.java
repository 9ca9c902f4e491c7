package dev.outbound.workflows;

import io.temporal.common.SearchAttributeKey;
import io.temporal.testing.TestWorkflowEnvironment;

/** Registers the project's search attributes on a test server, as the launcher and infra do. */
final class TestSearchAttributes {

  private TestSearchAttributes() {}

  static void register(TestWorkflowEnvironment env) {
    for (SearchAttributeKey<?> key : OutboundSearchAttributes.ALL) {
      env.registerSearchAttribute(key.getName(), key.getValueType());
    }
  }
}
