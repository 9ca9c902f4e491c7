package dev.outbound.api.imports;

import org.springframework.context.ApplicationContext;

/** Lets API tests outside this package drive the import runner as a restart or a request would. */
public final class ImportTesting {

  private ImportTesting() {}

  /** What the runner does when the application is ready: resume unfinished imports. */
  public static void resumeUnfinished(ApplicationContext context) {
    context.getBean(ImportRunner.class).resumeUnfinished();
  }

  /** Writes an import in the calling thread, as a small upload is. */
  public static void run(ApplicationContext context, long clientId, long importId) {
    context.getBean(ImportRunner.class).run(clientId, importId);
  }
}
