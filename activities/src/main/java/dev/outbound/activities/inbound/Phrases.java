package dev.outbound.activities.inbound;

import java.util.regex.Pattern;

/**
 * The phrasings of automatic answers and bounces, in English, German, French, Spanish, Dutch,
 * Italian and Portuguese. Every pattern is matched against {@link Text#normalise normalised} text
 * (lower case, one space for any whitespace, plain apostrophes).
 */
final class Phrases {

  private Phrases() {}

  /**
   * Subjects that start like an out-of-office. Only the start counts: a reply to a campaign whose
   * subject mentions "holiday" is "Re: Holiday offer", and must not read as an absence.
   */
  static final Pattern OOO_SUBJECT_START =
      Pattern.compile(
          "^[\\[(*\\s]*(?:out of (?:the )?office|out-of-office|ooo\\b|away from (?:the )?office"
              + "|automatic reply|auto(?:matic)?[- ]?(?:reply|response|antwort)|autoreply"
              + "|vacation|on vacation|on holiday|on leave|annual leave|absence"
              + "|abwesen|automatische (?:antwort|rückantwort)|nicht im büro|außer haus|urlaub"
              + "|réponse automatique|reponse automatique|absen[ct]|en congé|en vacances"
              + "|respuesta automática|respuesta automatica|fuera de (?:la )?oficina|ausente"
              + "|de vacaciones|automatisch antwoord|afwezig|niet aanwezig|niet op kantoor"
              + "|met vakantie|risposta automatica|fuori (?:ufficio|sede)|assente|in ferie"
              + "|resposta automática|resposta automatica|fora do escritório|ausência|de férias)");

  /**
   * An out-of-office stated in the first person and the present ("I am out of the office", "ich bin
   * nicht im Büro", "je suis absent", ...). This alone, with no header or subject saying the
   * message is automatic, makes a short message an out-of-office; "ich war im Urlaub" in a reply
   * does not.
   */
  static final Pattern OOO_FIRST_PERSON =
      Pattern.compile(
          "(?:\\bi(?:'m| am) (?:currently |presently |now )?(?:out of (?:the )?office|away from"
              + " (?:the |my )?(?:office|desk)|on (?:annual |parental |maternity |paternity )?"
              + "(?:leave|vacation|holiday|holidays) (?:until|till|through|and will|with|from)\\b)"
              + "|\\bthis is an? (?:automatic|automated) (?:reply|response)"
              + "|\\bich bin (?:derzeit |zurzeit |momentan |aktuell |bis .{1,40} )?"
              + "(?:nicht im büro|abwesend|außer haus|im urlaub)"
              + "|\\bje suis (?:actuellement |présentement )?(?:absente?|en congés?|en vacances"
              + "|hors du bureau)"
              + "|\\bestoy (?:actualmente )?(?:fuera de (?:la )?oficina|de vacaciones|ausente)"
              + "|\\bik ben (?:momenteel |op dit moment |tot .{1,30} )?(?:afwezig|niet aanwezig"
              + "|niet op kantoor|met vakantie|op vakantie)"
              + "|\\bsono (?:attualmente )?(?:fuori ufficio|in ferie|assente|in vacanza)"
              + "|\\bestou (?:atualmente )?(?:fora do escritório|de férias|ausente))");

  /**
   * Sentences of an out-of-office, in the text the sender wrote. Broad: used to tell an
   * out-of-office from other automatic answers once a header or the subject says it is automatic.
   */
  static final Pattern OOO_BODY =
      Pattern.compile(
          "(?:\\bi(?:'m| am) (?:currently |presently |now )?(?:out of (?:the )?office|away\\b"
              + "|on (?:annual |parental |maternity |paternity |sick |business )?"
              + "(?:leave|vacation|holiday|holidays|a business trip)|travell?ing|not in the office"
              + "|off work)"
              + "|\\bout of (?:the )?office (?:until|till|from|and|with|through|on)\\b"
              + "|\\bi will be (?:out of the office|out of office|away|back|returning)"
              + "|\\bi'll be (?:out of the office|out of office|away|back)"
              + "|\\bi will return\\b|\\bi return on\\b|\\bi am back on\\b"
              + "|\\b(?:limited|no) access to (?:my )?e-?mail"
              // German
              + "|\\bich bin (?:derzeit |zurzeit |momentan |aktuell |bis .{1,40} )?"
              + "(?:nicht im büro|nicht erreichbar|abwesend|außer haus|im urlaub|in elternzeit)"
              + "|\\bnicht im büro\\b|\\babwesend\\b|\\baußer haus\\b|\\bim urlaub\\b"
              + "|\\bwieder (?:im büro|erreichbar|da)\\b|\\bbin ich wieder\\b|\\bzurück am\\b"
              // French
              + "|\\bje suis (?:actuellement |présentement )?(?:absente?|en congés?|en vacances"
              + "|hors du bureau|en déplacement)"
              + "|\\babsente? du bureau\\b|\\bde retour le\\b|\\bje serai de retour\\b"
              + "|\\bje reviendrai\\b|\\ben congés?\\b|\\ben vacances\\b"
              // Spanish
              + "|\\bestoy (?:actualmente )?(?:fuera de (?:la )?oficina|de vacaciones|ausente)"
              + "|\\bfuera de (?:la )?oficina\\b|\\bestaré de vuelta\\b|\\bde vuelta el\\b"
              + "|\\bregresaré\\b|\\bvolveré\\b|\\bestaré ausente\\b|\\bde vacaciones\\b"
              // Dutch
              + "|\\bik ben (?:momenteel |op dit moment |tot .{1,30} )?(?:afwezig|niet aanwezig"
              + "|niet op kantoor|met vakantie|op vakantie)"
              + "|\\bniet op kantoor\\b|\\bafwezig\\b|\\bmet vakantie\\b|\\bterug op\\b"
              + "|\\bben ik weer\\b|\\bweer aanwezig\\b"
              // Italian
              + "|\\bsono (?:attualmente )?(?:fuori ufficio|in ferie|assente|in vacanza)"
              + "|\\bfuori ufficio\\b|\\bsarò di ritorno\\b|\\bdi ritorno il\\b|\\brientrerò\\b"
              + "|\\bin ferie\\b"
              // Portuguese
              + "|\\bestou (?:atualmente )?(?:fora do escritório|de férias|ausente)"
              + "|\\bfora do escritório\\b|\\bestarei de volta\\b|\\bde férias\\b"
              + "|\\bregressarei\\b)");

  /** A challenge-response filter asking the sender to prove they are a person. */
  static final Pattern CHALLENGE =
      Pattern.compile(
          "(?:challenge[- ]response|verify (?:that )?you are (?:a )?(?:human|real person|person)"
              + "|prove (?:that )?you are (?:a )?(?:human|real person)"
              + "|(?:approved|allowed|authorized|trusted) senders? list"
              + "|add you to (?:my|the|our) (?:list of )?(?:approved|allowed|trusted) senders"
              + "|(?:click|follow) (?:on )?the (?:link|button) below to (?:verify|confirm|release)"
              + "|your (?:e-?mail|message) (?:is|has been|will be) (?:held|quarantined|pending)"
              + "|to (?:prevent|protect (?:me|us) from|fight) spam"
              + "|bestätigen sie,? dass sie (?:ein )?mensch|vérifier que vous (?:êtes|etes)"
              + "|verifique que (?:es|é) (?:una persona|humano)|boxtrapper|spam ?arrest)");

  /** Subjects of challenge-response messages. */
  static final Pattern CHALLENGE_SUBJECT =
      Pattern.compile(
          "^[\\[(*\\s]*(?:please (?:confirm|verify)|verification (?:required|needed)"
              + "|action required: (?:verify|confirm)|sender verification|confirm your (?:e-?mail|message))");

  /** Ticket systems and "we got your message" responders. */
  static final Pattern AUTO_RESPONDER =
      Pattern.compile(
          "(?:\\b(?:ticket|case|request|incident|anfrage|demande|solicitud|caso|aanvraag|richiesta"
              + "|chamado|pedido)\\s*(?:number|id|no\\.?|nr\\.?|nummer|numéro|número|numero|#)?"
              + "\\s*[:#]?\\s*[a-z]{0,5}-?\\d{3,}\\b.{0,80}(?:received|created|opened|logged"
              + "|eingegangen|erstellt|reçue?|créée?|recibid[ao]|creado|ontvangen|aangemaakt"
              + "|ricevuta|creata|recebid[ao]|criad[ao])"
              + "|\\bthis is an? (?:automated|automatic|auto-generated) (?:response|reply|message"
              + "|notification|e-?mail)"
              + "|\\b(?:automatically generated|auto-generated) (?:response|reply|message|e-?mail)"
              + "|\\bplease do not reply to this (?:e-?mail|message)"
              + "|\\bdies ist eine automatische|\\bautomatisch (?:generierte|erstellte) (?:nachricht"
              + "|e-?mail|antwort)"
              + "|\\bceci est un (?:message|e-?mail|courriel) automatique"
              + "|\\beste es un (?:mensaje|correo) automático"
              + "|\\bdit is een automatisch (?:gegenereerd |verzonden )?(?:bericht|antwoord|e-?mail)"
              + "|\\bquesto è un messaggio automatico|\\besta é uma mensagem automática)");

  /** What a human writes when they want no more mail. */
  static final Pattern UNSUBSCRIBE_REQUEST =
      Pattern.compile(
          "(?:\\bunsubscribe\\b|\\bremove me\\b|\\btake me off\\b|\\bstop (?:e-?mailing|emailing"
              + "|contacting|sending)\\b|\\bdo not (?:e-?mail|contact) me\\b|\\bnot interested\\b"
              + "|\\bopt[- ]out\\b|\\babmelden\\b|\\baustragen\\b|\\bkein interesse\\b"
              + "|\\bdésinscri|\\bdesinscri|\\bpas intéressée?\\b|\\bdarme de baja\\b"
              + "|\\bno me interesa\\b|\\bafmelden\\b|\\bgeen interesse\\b|\\bcancellami\\b"
              + "|\\bnon (?:sono |mi )?interess|\\bdescadastr|\\bnão tenho interesse\\b)");

  /** Subjects of bounces, wherever in the subject. */
  static final Pattern BOUNCE_SUBJECT =
      Pattern.compile(
          "(?:undelivered mail returned to sender|undeliverable|undelivered"
              + "|delivery status notification|mail delivery failed|delivery failure"
              + "|failure notice|returned mail|mail delivery (?:failed|subsystem|system)"
              + "|delivery has failed|message not delivered|could not be delivered"
              + "|delivery (?:delayed|delay)|delayed mail|warning: message .{0,80} delayed"
              + "|message delivery failure|non-delivery|unzustellbar|nicht zustellbar"
              + "|non remis|échec de (?:la )?remise|no se puede entregar|no entregado"
              + "|onbestelbaar|niet afgeleverd|non recapitabile|mancato recapito"
              + "|não é possível entregar|não entregue|mensagem não entregue)");

  /** Evidence in a bounce's text that delivery failed or is failing. */
  static final Pattern BOUNCE_EVIDENCE =
      Pattern.compile(
          "(?:could not be delivered|couldn't be delivered|wasn't delivered|was not delivered"
              + "|delivery has failed|delivery to the following recipients? (?:failed|has been)"
              + "|permanent (?:fatal )?error|user unknown|unknown user|address not found"
              + "|no such (?:user|mailbox|recipient)|does not exist|doesn't exist"
              + "|mailbox (?:unavailable|not found|full|is full)|i'm sorry to have to inform you"
              + "|i wasn't able to deliver|i'm afraid i wasn't able to deliver"
              + "|message could not be delivered|undeliverable|has not yet been delivered"
              + "|will (?:retry|continue trying|keep trying)|delivery temporarily suspended"
              + "|over quota|quota exceeded|following address(?:es)? failed"
              + "|recipient address rejected|rejected your message|delivery incomplete"
              + "|konnte nicht zugestellt werden|n'a pas pu être remis|no se pudo entregar"
              + "|kon niet worden bezorgd|non è stato possibile recapitare|não pôde ser entregue)");

  /** A full mailbox: the recipient exists and may have room later. */
  static final Pattern MAILBOX_FULL =
      Pattern.compile(
          "(?:mailbox (?:is )?full|over ?quota|quota exceeded|exceeded (?:the )?(?:storage|quota)"
              + "|insufficient (?:storage|disk space)|mailbox size limit|inbox is full"
              + "|postfach (?:ist )?voll|speicherplatz|boîte (?:aux lettres )?(?:est )?pleine"
              + "|buzón (?:está )?lleno|postvak is vol|casella (?:è )?piena|caixa (?:postal )?cheia)");

  /** A delay or a temporary failure: delivery may still happen. */
  static final Pattern TEMPORARY =
      Pattern.compile(
          "(?:has not yet been delivered|not been delivered yet|will (?:retry|continue trying|keep"
              + " trying)|delivery (?:is )?delayed|delivery delay|message (?:is )?delayed"
              + "|temporar(?:y|ily) (?:failure|error|problem|suspended|rejected|unavailable|deferred)"
              + "|try again later|greylist|\\(delay\\)|deferred)");

  /**
   * Policy and reputation refusals ("blocked as spam", "listed in a block list"): the recipient's
   * address works, our mail was refused, so the address is not suppressed; the mailbox's bounce
   * rate will show the problem.
   */
  static final Pattern REPUTATION_BLOCK =
      Pattern.compile(
          "(?:spam|blocked|block ?list|black ?list|reputation|rbl|spamhaus|policy|content rejected"
              + "|rate limit|too many)");
}
