package dev.outbound.worker.observability;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;

/**
 * Reports activity and workflow failures to Sentry (see the package documentation for which). The
 * Temporal starter adds every {@code WorkerInterceptor} bean to the worker factory's options.
 *
 * <p>Only {@link RuntimeException}s are looked at: the SDK ends workflow threads (eviction,
 * continue-as-new) with an {@code Error}, which is not a failure. The reporter never throws, so an
 * interceptor cannot change what an activity or a workflow does; and nothing it does is recorded in
 * the workflow history, so it is safe in workflow code.
 */
public class SentryWorkerInterceptor extends WorkerInterceptorBase {

  private final TemporalErrorReporter reporter;

  SentryWorkerInterceptor(TemporalErrorReporter reporter) {
    this.reporter = reporter;
  }

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      private ActivityExecutionContext context;

      @Override
      public void init(ActivityExecutionContext context) {
        this.context = context;
        super.init(context);
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        try {
          return super.execute(input);
        } catch (RuntimeException e) {
          reporter.activityFailed(context.getInfo(), input.getArguments(), e);
          throw e;
        }
      }
    };
  }

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowInboundCallsInterceptorBase(next) {
      @Override
      public WorkflowOutput execute(WorkflowInput input) {
        try {
          return super.execute(input);
        } catch (RuntimeException e) {
          // A replay re-runs code whose failure was reported when it first happened.
          if (!Workflow.isReplaying()) {
            WorkflowInfo info = Workflow.getInfo();
            reporter.workflowFailed(
                info.getWorkflowType(),
                info.getWorkflowId(),
                info.getRunId(),
                input.getArguments(),
                e);
          }
          throw e;
        }
      }
    };
  }
}
