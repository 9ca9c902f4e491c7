package dev.outbound.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outbound.worker.WorkerProperties.VirtualThreads;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import org.junit.jupiter.api.Test;

/** The scale settings reach the Temporal worker options, and bad combinations fail at startup. */
class WorkerPropertiesTest {

  private static WorkerProperties properties(int cache, int threads, VirtualThreads virtual) {
    return new WorkerProperties(16, 50, 4, true, false, cache, threads, 3, 5, virtual);
  }

  @Test
  void theCacheThreadsAndPollersReachTheWorkerOptions() {
    WorkerConfiguration configuration = new WorkerConfiguration();
    WorkerProperties properties = properties(250, 300, VirtualThreads.OFF);

    WorkerFactoryOptions factory =
        configuration
            .outboundWorkerFactoryOptions(properties)
            .customize(WorkerFactoryOptions.newBuilder())
            .build();
    WorkerOptions worker =
        configuration
            .outboundWorkerOptions(properties)
            .customize(WorkerOptions.newBuilder(), "outbound", "outbound")
            .build();

    assertThat(factory.getWorkflowCacheSize()).isEqualTo(250);
    assertThat(factory.getMaxWorkflowThreadCount()).isEqualTo(300);
    assertThat(factory.isUsingVirtualWorkflowThreads()).isFalse();
    assertThat(worker.getMaxConcurrentActivityExecutionSize()).isEqualTo(16);
    assertThat(worker.getMaxConcurrentWorkflowTaskPollers()).isEqualTo(3);
    assertThat(worker.getMaxConcurrentActivityTaskPollers()).isEqualTo(5);
  }

  @Test
  void autoUsesVirtualThreadsExactlyWhenTheJvmHasThem() {
    assertThat(properties(600, 800, VirtualThreads.AUTO).usesVirtualThreads())
        .isEqualTo(Runtime.version().feature() >= 21);
    assertThat(properties(600, 800, VirtualThreads.OFF).usesVirtualThreads()).isFalse();
  }

  @Test
  void moreCachedWorkflowsThanWorkflowThreadsIsRefused() {
    assertThatThrownBy(() -> properties(600, 100, VirtualThreads.OFF))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max-workflow-threads");
  }
}
