package dev.outbound.api.mailboxes;

import dev.outbound.api.web.Checks;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code POST /api/v1/mailboxes}. {@code imap} may be left out for a send-only mailbox. */
record MailboxRequest(
    @NotBlank @Size(max = 254) @Email(regexp = Checks.EMAIL) String email,
    @NotBlank @Size(max = 200) @Pattern(regexp = Checks.SINGLE_LINE, message = "must be one line")
        String displayName,
    @NotNull @Valid Server smtp,
    @Valid Server imap,
    @Schema(description = "Emails per day; " + MailboxView.CAPS_NOTE) @NotNull @Min(1) @Max(100_000)
        Integer dailyCap,
    @Schema(description = "Seconds between two emails; " + MailboxView.CAPS_NOTE)
        @NotNull
        @Min(0)
        @Max(86_400)
        Integer minGapSeconds) {

  /** A mail server and its login; {@code tls} defaults to false. */
  record Server(
      @NotBlank @Size(max = 253) @Pattern(regexp = "^[^\\s/]+$", message = "must be a host name")
          String host,
      @NotNull @Min(1) @Max(65535) Integer port,
      @Size(max = 254) String username,
      @Size(max = 1000) String password,
      Boolean tls) {}
}
