package dev.outbound.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.outbound.workflows.CampaignAction;
import dev.outbound.workflows.WorkflowIds;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

class CampaignApiTest extends ApiTestSupport {

  @Test
  void createsAMailboxAndNeverShowsItsPasswords() throws Exception {
    long id = createMailbox(ACME);

    get(ACME, "/api/v1/mailboxes/" + id)
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.smtp.host").value("localhost"))
        .andExpect(jsonPath("$.smtp.passwordSet").value(true))
        .andExpect(jsonPath("$.imap.port").value(3143))
        .andExpect(content().string(not(containsString("secret"))))
        .andExpect(content().string(not(containsString("password\""))));
  }

  @Test
  void showsAMailboxsCapsAsStoredAndDocumentsHowTheyCount() throws Exception {
    long id = createMailbox(ACME);

    get(ACME, "/api/v1/mailboxes/" + id)
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.dailyCap").value(100))
        .andExpect(jsonPath("$.minGapSeconds").value(0))
        .andExpect(jsonPath("$.caps").doesNotExist());
    mvc.perform(MockMvcRequestBuilders.get("/v3/api-docs"))
        .andExpect(status().isOk())
        .andExpect(
            jsonPath("$.components.schemas.MailboxRequest.properties.dailyCap.description")
                .value(containsString("over all campaigns")))
        .andExpect(
            jsonPath("$.components.schemas.MailboxView.properties.minGapSeconds.description")
                .value(containsString("between two emails")))
        .andExpect(
            jsonPath("$.paths['/api/v1/leads/{id}'].patch.description")
                .value(containsString("other campaigns")));
  }

  @Test
  void acceptsFollowUpsWithoutASubjectAndStoresThemEmpty() throws Exception {
    long mailbox = createMailbox(ACME);
    long id =
        id(
            postJson(
                    ACME,
                    "/api/v1/campaigns",
                    """
                    {"name": "Threaded", "timezone": "UTC", "mailboxIds": [%d],
                     "steps": [{"delay": "PT0S", "subject": "Hi {{firstName|there}}", "body": "1"},
                               {"delay": "P1D", "body": "2"},
                               {"delay": "P1D", "subject": "  ", "body": "3"},
                               {"delay": "P1D", "subject": "Own {{company|subject}}", "body": "4"}]}
                    """
                        .formatted(mailbox))
                .andExpect(status().isCreated()));

    get(ACME, "/api/v1/campaigns/" + id)
        .andExpect(jsonPath("$.steps[0].subject").value("Hi {{firstName|there}}"))
        .andExpect(jsonPath("$.steps[1].subject").value(""))
        .andExpect(jsonPath("$.steps[2].subject").value(""))
        .andExpect(jsonPath("$.steps[3].subject").value("Own {{company|subject}}"));
  }

  @Test
  void createsACampaignAsADraftWithItsStepsAndZeroCounts() throws Exception {
    long id = createCampaign(ACME);

    get(ACME, "/api/v1/campaigns/" + id)
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("DRAFT"))
        .andExpect(jsonPath("$.timezone").value("Europe/Berlin"))
        .andExpect(jsonPath("$.steps.length()").value(2))
        .andExpect(jsonPath("$.steps[1].index").value(2))
        .andExpect(jsonPath("$.steps[1].delay").value("PT72H"))
        .andExpect(jsonPath("$.steps[1].sent").value(0))
        .andExpect(jsonPath("$.counts.leads").value(0));
    get(ACME, "/api/v1/campaigns?size=500")
        .andExpect(jsonPath("$.items[?(@.id == " + id + ")].status").value("DRAFT"));
  }

  @Test
  void startingTwiceStartsOneCampaignWorkflowAndAnswers202BothTimes() throws Exception {
    long id = createCampaign(ACME);
    addLeads(ACME, id, 2);

    post(ACME, "/api/v1/campaigns/" + id + "/start")
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.status").value("ACTIVE"));
    post(ACME, "/api/v1/campaigns/" + id + "/start")
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.status").value("ACTIVE"));

    String workflowId = WorkflowIds.campaign(id);
    assertThat(starts(workflowId)).isEqualTo(1);
    assertThat(signals(workflowId)).containsExactly("enrolPending", "enrolPending");
    assertThat(
            workflows
                .fetchHistory(workflowId)
                .getHistory()
                .getEvents(0)
                .getWorkflowExecutionStartedEventAttributes()
                .getTaskQueue()
                .getName())
        .isEqualTo("outbound");
  }

  @Test
  void pausesResumesAndStopsAStartedCampaignThroughItsWorkflow() throws Exception {
    long id = createCampaign(ACME);
    post(ACME, "/api/v1/campaigns/" + id + "/start").andExpect(status().isAccepted());

    post(ACME, "/api/v1/campaigns/" + id + "/pause")
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.status").value("PAUSED"));
    post(ACME, "/api/v1/campaigns/" + id + "/start")
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.status").value(409))
        .andExpect(jsonPath("$.detail").value(containsString("resume")));
    post(ACME, "/api/v1/campaigns/" + id + "/resume")
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.status").value("ACTIVE"));
    post(ACME, "/api/v1/campaigns/" + id + "/stop")
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.status").value("STOPPED"));

    assertThat(signalArguments(WorkflowIds.campaign(id), "control", CampaignAction.class))
        .containsExactly(CampaignAction.PAUSE, CampaignAction.RESUME, CampaignAction.STOP);
    assertThat(starts(WorkflowIds.campaign(id))).isEqualTo(1);
  }

  @Test
  void refusesToRestartPauseOrResumeAStoppedCampaignOrAddLeadsToIt() throws Exception {
    long id = createCampaign(ACME);
    post(ACME, "/api/v1/campaigns/" + id + "/start").andExpect(status().isAccepted());
    post(ACME, "/api/v1/campaigns/" + id + "/stop").andExpect(status().isAccepted());
    int signalsBefore = signals(WorkflowIds.campaign(id)).size();

    post(ACME, "/api/v1/campaigns/" + id + "/start")
        .andExpect(status().isConflict())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    post(ACME, "/api/v1/campaigns/" + id + "/pause").andExpect(status().isConflict());
    post(ACME, "/api/v1/campaigns/" + id + "/resume").andExpect(status().isConflict());
    postJson(ACME, "/api/v1/campaigns/" + id + "/leads", "[{\"email\":\"late@example.com\"}]")
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.status").value(409));

    assertThat(signals(WorkflowIds.campaign(id))).hasSize(signalsBefore);
    assertThat(leadIds(id)).isEmpty();
  }

  @Test
  void stoppingADraftStopsItsLeadsWithoutStartingAWorkflow() throws Exception {
    long id = createCampaign(ACME);
    addLeads(ACME, id, 2);

    post(ACME, "/api/v1/campaigns/" + id + "/stop")
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.status").value("STOPPED"));

    assertThat(workflowExists(WorkflowIds.campaign(id))).isFalse();
    get(ACME, "/api/v1/campaigns/" + id)
        .andExpect(jsonPath("$.counts.stopped").value(2))
        .andExpect(jsonPath("$.counts.active").value(0));
  }

  @Test
  void refusesToPauseADraft() throws Exception {
    long id = createCampaign(ACME);

    post(ACME, "/api/v1/campaigns/" + id + "/pause")
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.detail").value(containsString("DRAFT")));
    assertThat(workflowExists(WorkflowIds.campaign(id))).isFalse();
  }

  @Test
  void enrolsLeadsAddedToAnActiveCampaignAtOnce() throws Exception {
    long id = createCampaign(ACME);
    post(ACME, "/api/v1/campaigns/" + id + "/start").andExpect(status().isAccepted());

    addLeads(ACME, id, 3);

    assertThat(signals(WorkflowIds.campaign(id))).containsExactly("enrolPending", "enrolPending");
    get(ACME, "/api/v1/campaigns/" + id)
        .andExpect(jsonPath("$.counts.leads").value(3))
        .andExpect(jsonPath("$.counts.pending").value(3))
        .andExpect(jsonPath("$.counts.active").value(3));
  }

  @Test
  void answersAnUnknownCampaignWith404ProblemDetail() throws Exception {
    get(ACME, "/api/v1/campaigns/999999999")
        .andExpect(status().isNotFound())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.detail").value("No campaign with ID 999999999."))
        .andExpect(header().doesNotExist("WWW-Authenticate"));
  }
}
