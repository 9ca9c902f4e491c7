package dev.outbound.workflows.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbound.workflows.CampaignAction;
import dev.outbound.workflows.WorkflowIds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The campaign client's signals start the campaign workflow once and reach it in order. */
@Timeout(60)
class CampaignClientTest {

  private final ClientTestServer server = new ClientTestServer();
  private final CampaignClient campaigns = new CampaignClient(server.client);

  @AfterEach
  void close() {
    server.close();
  }

  @Test
  void startsTheMissingWorkflowWithTheFirstSignalAndSignalsTheRunningOne() {
    campaigns.enrolPending(3, 12);
    campaigns.control(3, 12, CampaignAction.PAUSE);
    campaigns.control(3, 12, CampaignAction.STOP);

    String id = WorkflowIds.campaign(12);
    assertThat(server.starts(id)).isEqualTo(1);
    assertThat(server.signals(id)).containsExactly("enrolPending", "control", "control");
  }
}
