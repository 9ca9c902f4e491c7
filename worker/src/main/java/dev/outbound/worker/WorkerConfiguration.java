package dev.outbound.worker;

import com.zaxxer.hikari.HikariDataSource;
import io.temporal.spring.boot.WorkerOptionsCustomizer;
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
          .setMaxConcurrentWorkflowTaskExecutionSize(properties.workflowConcurrency());
      if (!properties.stickyExecution()) {
        builder.setStickyQueueScheduleToStartTimeout(Duration.ZERO);
      }
      log.info(
          "Worker {} on task queue {}: {} activity slots, {} workflow slots, sticky execution {}",
          workerName,
          taskQueue,
          properties.activityConcurrency(),
          properties.workflowConcurrency(),
          properties.stickyExecution() ? "on" : "off");
      return builder;
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
