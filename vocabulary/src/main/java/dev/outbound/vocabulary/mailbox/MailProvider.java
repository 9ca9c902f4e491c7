package dev.outbound.vocabulary.mailbox;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where a mailbox is hosted, with the settings its provider publishes. A preset fills a new
 * mailbox's servers, ports, TLS and pacing, so that creating a Google or Microsoft 365 mailbox
 * needs only its address and a login; {@link #CUSTOM} presets nothing.
 *
 * <p>The endpoints are the providers' documented ones; a test or a sovereign cloud replaces them
 * through configuration ({@code outbound.oauth.*}), never here. {@code {tenant}} in a Microsoft
 * endpoint is the Entra ID tenant: {@code organizations} for a person's consent in any work
 * account, the tenant's ID for app-only access.
 *
 * <p>Default caps are deliberately far below the providers' limits (Google Workspace: 2,000
 * messages a day per user; Exchange Online: 10,000 recipients a day and 30 messages a minute):
 * those are the points where an account gets suspended, not a good pace for cold email.
 */
public enum MailProvider {
  GOOGLE(
      new Server("smtp.gmail.com", 465),
      new Server("imap.gmail.com", 993),
      "https://accounts.google.com/o/oauth2/v2/auth",
      "https://oauth2.googleapis.com/token",
      List.of("https://mail.google.com/", "openid", "email"),
      "https://mail.google.com/",
      2_000,
      50,
      60,
      true),
  MICROSOFT(
      new Server("smtp.office365.com", 587),
      new Server("outlook.office365.com", 993),
      "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
      "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
      List.of(
          "offline_access",
          "openid",
          "email",
          "https://outlook.office.com/SMTP.Send",
          "https://outlook.office.com/IMAP.AccessAsUser.All"),
      "https://outlook.office365.com/.default",
      10_000,
      50,
      60,
      true),
  /** Any other server: hosts, ports and (for OAuth2) the token endpoint are given per mailbox. */
  CUSTOM(null, null, null, null, List.of(), null, 100_000, 0, 0, false);

  /** A mail server's host and port; TLS is always required for a preset's servers. */
  public record Server(String host, int port) {}

  private final Server smtp;
  private final Server imap;
  private final String authorizationEndpoint;
  private final String tokenEndpoint;
  private final List<String> delegatedScopes;
  private final String appOnlyScope;
  private final int maxDailyCap;
  private final int defaultDailyCap;
  private final int defaultMinGapSeconds;
  private final boolean filesSentCopies;

  MailProvider(
      Server smtp,
      Server imap,
      String authorizationEndpoint,
      String tokenEndpoint,
      List<String> delegatedScopes,
      String appOnlyScope,
      int maxDailyCap,
      int defaultDailyCap,
      int defaultMinGapSeconds,
      boolean filesSentCopies) {
    this.smtp = smtp;
    this.imap = imap;
    this.authorizationEndpoint = authorizationEndpoint;
    this.tokenEndpoint = tokenEndpoint;
    this.delegatedScopes = delegatedScopes;
    this.appOnlyScope = appOnlyScope;
    this.maxDailyCap = maxDailyCap;
    this.defaultDailyCap = defaultDailyCap;
    this.defaultMinGapSeconds = defaultMinGapSeconds;
    this.filesSentCopies = filesSentCopies;
  }

  /** The provider's SMTP submission server (implicit TLS on 465, STARTTLS on 587); null: custom. */
  public Server smtp() {
    return smtp;
  }

  /** The provider's IMAP server (implicit TLS); null for {@link #CUSTOM}. */
  public Server imap() {
    return imap;
  }

  /** Where a person consents (authorization-code flow); may hold {@code {tenant}}. */
  public String authorizationEndpoint() {
    return authorizationEndpoint;
  }

  /** Where codes, refresh tokens and app assertions are traded for access tokens. */
  public String tokenEndpoint() {
    return tokenEndpoint;
  }

  /** The scopes a person grants: mail over SMTP and IMAP, and their address (OpenID Connect). */
  public List<String> delegatedScopes() {
    return delegatedScopes;
  }

  /** The scope of an app-only token (client credentials, or a delegated service account). */
  public String appOnlyScope() {
    return appOnlyScope;
  }

  /** The provider's published daily sending limit per mailbox: a higher cap is refused. */
  public int maxDailyCap() {
    return maxDailyCap;
  }

  /** The daily cap a mailbox gets when its creation names none. */
  public int defaultDailyCap() {
    return defaultDailyCap;
  }

  /** The minimum gap between two emails a mailbox gets when its creation names none. */
  public int defaultMinGapSeconds() {
    return defaultMinGapSeconds;
  }

  /**
   * Whether the provider files a copy of every message accepted over SMTP in the account's Sent
   * folder (Gmail and Exchange Online do), so that a search there settles an ambiguous send.
   */
  public boolean filesSentCopies() {
    return filesSentCopies;
  }

  /** The value named {@code name} exactly, or empty. */
  public static Optional<MailProvider> parse(String name) {
    return Arrays.stream(values()).filter(v -> v.name().equals(name)).findFirst();
  }

  /** The names, for error messages and the API's documentation. */
  public static List<String> names() {
    return Arrays.stream(values()).map(Enum::name).toList();
  }
}
