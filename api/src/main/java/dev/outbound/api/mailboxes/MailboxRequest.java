package dev.outbound.api.mailboxes;

import dev.outbound.api.web.Checks;
import dev.outbound.api.web.HeaderSafe;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /api/v1/mailboxes}. {@code imap} may be left out for a send-only mailbox; {@code
 * jitterSeconds}, {@code timezone} and {@code warmup} are optional pacing settings.
 */
record MailboxRequest(
    @NotBlank @Size(max = 254) @Email(regexp = Checks.EMAIL) @HeaderSafe String email,
    @NotBlank @Size(max = 200) @HeaderSafe String displayName,
    @NotNull @Valid Server smtp,
    @Valid Server imap,
    @Schema(description = MailboxView.DAILY_CAP) @NotNull @Min(1) @Max(100_000) Integer dailyCap,
    @Schema(description = MailboxView.MIN_GAP) @NotNull @Min(0) @Max(86_400) Integer minGapSeconds,
    @Schema(description = MailboxView.JITTER + " Default 0.") @Min(0) @Max(86_400)
        Integer jitterSeconds,
    @Schema(description = MailboxView.TIMEZONE + " Default UTC.", example = "Europe/Berlin")
        @Size(max = 64)
        String timezone,
    @Schema(description = MailboxView.WARMUP + " Absent: the full dailyCap from the first day.")
        @Valid
        Warmup warmup) {

  /** A mail server and its login; {@code tls} defaults to false. */
  record Server(
      @NotBlank
          @Size(max = 253)
          @Pattern(
              regexp = "^[A-Za-z0-9._:\\[\\]-]+$",
              message = "must be a host name or an IP address")
          String host,
      @NotNull @Min(1) @Max(65535) Integer port,
      @Size(max = 254) @HeaderSafe String username,
      // Passwords travel in SMTP AUTH and IMAP LOGIN commands, where a line break would start a
      // command of its own.
      @Size(max = 1000) @HeaderSafe String password,
      Boolean tls) {}

  /** A warm-up ramp; {@code startCap} and {@code dailyIncrease} are required when it is given. */
  record Warmup(
      @Schema(description = "The cap on the warm-up's first day.", example = "5")
          @NotNull
          @Min(1)
          @Max(100_000)
          Integer startCap,
      @Schema(description = "How much the cap grows each day.", example = "3")
          @NotNull
          @Min(0)
          @Max(100_000)
          Integer dailyIncrease,
      @Schema(
              description =
                  "The warm-up's first day, YYYY-MM-DD; default today in the mailbox's zone.",
              example = "2026-11-02")
          @Size(max = 10)
          String startedOn) {}
}
