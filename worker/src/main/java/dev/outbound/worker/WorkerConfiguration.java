package dev.outbound.worker;

import com.zaxxer.hikari.HikariDataSource;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import io.temporal.spring.boot.WorkerOptionsCustomizer;
import io.temporal.worker.WorkerFactoryOptions;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WorkerProperties.class)
class WorkerConfiguration {

  private static final Logger log = LoggerFactory.getLogger(WorkerConfiguration.class);

  /**
   * Applies the concurrency limits and the sticky-execution choice to every worker the starter
   * makes.
   */
  @Bean
  WorkerOptionsCustomizer outboundWorkerOptions(WorkerProperties properties) {
    return (builder, workerName, taskQueue) -> {
      builder
          .setMaxConcurrentActivityExecutionSize(properties.activityConcurrency())
          .setMaxConcurrentWorkflowTaskExecutionSize(properties.workflowConcurrency())
          .setMaxConcurrentWorkflowTaskPollers(properties.workflowPollers())
          .setMaxConcurrentActivityTaskPollers(properties.activityPollers());
      if (properties.usesVirtualThreads()) {
        builder.setUsingVirtualThreads(true);
      }
      if (!properties.stickyExecution()) {
        builder.setStickyQueueScheduleToStartTimeout(Duration.ZERO);
      }
      log.info(
          "Worker {} on task queue {}: {} activity slots, {} workflow slots, {}/{} workflow/activity"
              + " pollers, sticky execution {}, virtual threads {}",
          workerName,
          taskQueue,
          properties.activityConcurrency(),
          properties.workflowConcurrency(),
          properties.workflowPollers(),
          properties.activityPollers(),
          properties.stickyExecution() ? "on" : "off",
          properties.usesVirtualThreads() ? "on" : "off");
      return builder;
    };
  }

  /**
   * The worker factory's cache of workflow executions and its workflow threads (shared by every
   * worker of the factory): what bounds the worker's memory however many leads wait.
   */
  @Bean
  TemporalOptionsCustomizer<WorkerFactoryOptions.Builder> outboundWorkerFactoryOptions(
      WorkerProperties properties) {
    return builder -> {
      log.info(
          "Workflow cache {} executions, at most {} workflow threads ({})",
          properties.workflowCacheSize(),
          properties.maxWorkflowThreads(),
          properties.usesVirtualThreads() ? "virtual" : "platform");
      return builder
          .setWorkflowCacheSize(properties.workflowCacheSize())
          .setMaxWorkflowThreadCount(properties.maxWorkflowThreads())
          .setUsingVirtualWorkflowThreads(properties.usesVirtualThreads());
    };
  }

  /**
   * Sizes the connection pool from the activity concurrency, so the worker can never ask PostgreSQL
   * for more connections than its activities can use, whatever the pool settings say.
   */
  @Bean
  static BeanPostProcessor poolSizedFromActivityConcurrency(
      org.springframework.beans.factory.ObjectProvider<WorkerProperties> properties) {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool) {
          int size = properties.getObject().databasePoolSize();
          pool.setMaximumPoolSize(size);
          pool.setMinimumIdle(
              Math.min(pool.getMinimumIdle() < 0 ? size : pool.getMinimumIdle(), size));
          log.info("Database pool capped at {} connections (activity slots + headroom)", size);
        }
        return bean;
      }
    };
  }
}
