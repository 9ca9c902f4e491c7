package dev.outbound.activities;

import dev.outbound.activities.campaign.EnrolmentProperties;
import dev.outbound.activities.send.MailProperties;
import dev.outbound.crm.CrmConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Imported by the applications that run activities (worker, launcher). The activities read and
 * write the CRM tables, so the CRM part comes with them. They also need a {@code WorkflowClient}
 * bean (the campaign fan-out starts and signals lead workflows), which the application provides.
 */
@Configuration(proxyBeanMethods = false)
@ComponentScan
@Import(CrmConfiguration.class)
@EnableConfigurationProperties({MailProperties.class, EnrolmentProperties.class})
public class ActivitiesConfiguration {}
