package dev.outbound.api.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Mailbox passwords go in, are stored encrypted, and never come out: not in answers, not in logs.
 */
@ExtendWith(OutputCaptureExtension.class)
class MailboxSecretsTest extends HttpApiTestSupport {

  private static final String SMTP_PASSWORD = "smtp-pw-7f3a9c-never-shown";
  private static final String IMAP_PASSWORD = "imap-pw-2b8e1d-never-shown";

  @Test
  void storesPasswordsEncryptedAndNeverAnswersOrLogsThem(CapturedOutput output) throws Exception {
    String mailbox =
        """
        {"email": "secret-%s@example.com", "displayName": "Sales",
         "smtp": {"host": "203.0.113.10", "port": 587, "username": "u", "password": "%s"},
         "imap": {"host": "203.0.113.11", "port": 993, "username": "u", "password": "%s"},
         "dailyCap": 10, "minGapSeconds": 0}"""
            .formatted(a.slug(), SMTP_PASSWORD, IMAP_PASSWORD);
    HttpResponse<String> created = call(a.key(), "POST", "/api/v1/mailboxes", mailbox, 201);
    long id = id(created);
    HttpResponse<String> shown = call(a.key(), "GET", "/api/v1/mailboxes/" + id, null, 200);
    // A request that fails validation must not echo the password either.
    HttpResponse<String> refused =
        call(
            a.key(),
            "POST",
            "/api/v1/mailboxes",
            mailbox.replace("\"dailyCap\": 10", "\"dailyCap\": -1"),
            400);

    for (HttpResponse<String> response : java.util.List.of(created, shown, refused)) {
      assertThat(response.body()).doesNotContain(SMTP_PASSWORD).doesNotContain(IMAP_PASSWORD);
    }
    assertThat(shown.body()).contains("\"passwordSet\":true");
    var stored =
        jdbc.sql(
                "select smtp_password_enc || ' ' || imap_password_enc from mailboxes where id = :id")
            .param("id", id)
            .query(String.class)
            .single();
    assertThat(stored).startsWith("v1:").contains(" v1:");
    assertThat(stored).doesNotContain(SMTP_PASSWORD).doesNotContain(IMAP_PASSWORD);
    assertThat(output.getAll()).doesNotContain(SMTP_PASSWORD).doesNotContain(IMAP_PASSWORD);
  }
}
