package dev.outbound.worker;

import dev.outbound.crm.CrmConfiguration;
import dev.outbound.crm.unsubscribe.UnsubscribeConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/** Runs the worker on its own (one of the two deployables; the other is the API). */
@SpringBootApplication(scanBasePackages = {"dev.outbound.worker", "dev.outbound.activities"})
@Import({CrmConfiguration.class, UnsubscribeConfiguration.class})
public class WorkerApplication {

  public static void main(String[] args) {
    SpringApplication.run(WorkerApplication.class, args);
  }
}
