package dev.outbound.api.imports;

import dev.outbound.api.auth.ClientId;
import dev.outbound.api.leads.LeadRequest;
import dev.outbound.api.web.ApiProperties;
import dev.outbound.api.web.ConflictException;
import dev.outbound.api.web.NotFoundException;
import dev.outbound.api.web.Paging;
import dev.outbound.crm.admin.CampaignStateException;
import dev.outbound.crm.admin.CampaignStore;
import dev.outbound.crm.imports.ImportRejectionStore;
import dev.outbound.crm.imports.ImportSummary;
import dev.outbound.crm.imports.LeadImportStore;
import dev.outbound.vocabulary.status.CampaignStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Validator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lead imports. The body is read here, as a stream, rather than bound by Spring, so that its size
 * and row count are enforced while it arrives and a 100,000-row file is never held twice.
 */
@RestController
class ImportController {

  private static final String IMPORTS = "/api/v1/campaigns/{id}/imports";

  private static final String CSV_EXAMPLE =
      "email,first_name,last_name,company,timezone,country,role\r\n"
          + "ada@example.com,Ada,Lovelace,\"Engines, Ltd.\",Europe/London,GB,CTO\r\n";

  private final LeadImportStore imports;
  private final ImportRejectionStore rejections;
  private final CampaignStore campaigns;
  private final ImportRunner runner;
  private final ImportProperties properties;
  private final ApiProperties api;
  private final UploadParser parser;

  ImportController(
      LeadImportStore imports,
      ImportRejectionStore rejections,
      CampaignStore campaigns,
      ImportRunner runner,
      ImportProperties properties,
      ApiProperties api,
      Validator validator,
      JsonMapper json) {
    this.imports = imports;
    this.rejections = rejections;
    this.campaigns = campaigns;
    this.runner = runner;
    this.properties = properties;
    this.api = api;
    this.parser = new UploadParser(validator, json, properties.maxRows());
  }

  @PostMapping(
      path = IMPORTS,
      consumes = {"text/csv", MediaType.APPLICATION_JSON_VALUE})
  @Operation(
      summary = "Import leads from a CSV file or a JSON array",
      description =
          "CSV: the first line is the header. Columns named email, first_name (or firstName,"
              + " First Name), last_name, company, timezone and country fill those fields (case,"
              + " spaces, '_' and '-' do not matter); any other column becomes an extra field of"
              + " that name. map=<column>:<target> (repeatable) maps a column explicitly, to one"
              + " of those fields, fields.<name>, or - to ignore it. Blank values count as absent;"
              + " empty lines are skipped. UTF-8 unless the Content-Type names a charset; a byte"
              + " order mark is skipped. JSON: an array of the lead objects POST"
              + " /api/v1/campaigns/{id}/leads takes. Every row is checked as that endpoint checks"
              + " a lead, and against the rows before it, the campaign, the client's other ACTIVE"
              + " or PAUSED campaigns and the suppression list: a row that fails is rejected"
              + " (listed with its CSV line or JSON index, the field and the reason), the rest are"
              + " imported in batches, each written completely or not at all. Up to"
              + " outbound.api.import.inline-max-rows rows answer 201 with the report; larger"
              + " uploads answer 202 with Location: /api/v1/imports/{importId} to poll. More"
              + " rows or bytes than allowed answer 413.",
      requestBody =
          @RequestBody(
              required = true,
              content = {
                @Content(
                    mediaType = "text/csv",
                    schema = @Schema(type = "string", example = CSV_EXAMPLE)),
                @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    array = @ArraySchema(schema = @Schema(implementation = LeadRequest.class)))
              }))
  ResponseEntity<ImportView> upload(
      ClientId client,
      @PathVariable long id,
      @Parameter(description = "CSV only: <column>:<target>, e.g. E-Mail:email or Notes:-")
          @RequestParam(name = "map", required = false)
          List<String> map,
      HttpServletRequest request)
      throws IOException {
    checkCampaign(client, id, request);
    UploadParser.Parsed parsed;
    if (MediaType.APPLICATION_JSON.isCompatibleWith(
        MediaType.parseMediaType(request.getContentType()))) {
      try (InputStream body = body(request)) {
        parsed = parser.json(body);
      }
    } else {
      Charset charset = charset(request);
      try (InputStream body = body(request);
          BufferedReader reader =
              new BufferedReader(new InputStreamReader(body, charset), 64 * 1024)) {
        parsed = parser.csv(reader, map);
      }
    }
    return store(client, id, parsed);
  }

  @GetMapping("/api/v1/imports/{id}")
  @Operation(
      summary = "An import and its report",
      description =
          "Status QUEUED, RUNNING, DONE or FAILED, the counts, the batches written, and one page"
              + " (page, size) of the rejected rows.")
  ImportView get(
      ClientId client,
      @PathVariable long id,
      @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size) {
    Paging paging = Paging.of(page, size, api);
    return view(client.value(), id, paging);
  }

  @PostMapping("/api/v1/imports/{id}/resume")
  @Operation(
      summary = "Resume a failed import",
      description =
          "Writes the batches a FAILED import has left (the written ones are never written"
              + " again). 202; 409 when the import has not failed.")
  ResponseEntity<ImportView> resume(ClientId client, @PathVariable long id) {
    ImportSummary found =
        imports.find(client.value(), id).orElseThrow(() -> new NotFoundException("import", id));
    if (!imports.requeue(client.value(), id)) {
      throw new ConflictException(
              "Only a FAILED import can be resumed; this one is " + found.status() + ".")
          .with("currentStatus", found.status().name());
    }
    runner.submit(client.value(), id);
    return ResponseEntity.accepted()
        .location(location(id))
        .body(view(client.value(), id, Paging.of(null, null, api)));
  }

  /** Refuses an upload to a campaign that is not the client's or is stopped, before reading it. */
  private void checkCampaign(ClientId client, long id, HttpServletRequest request) {
    CampaignStatus status =
        campaigns
            .status(client.value(), id)
            .orElseThrow(() -> new NotFoundException("campaign", id));
    if (status == CampaignStatus.STOPPED) {
      throw stopped();
    }
    if (request.getContentLengthLong() > properties.maxBytes().toBytes()) {
      throw UploadTooLargeException.bytes(properties.maxBytes().toBytes());
    }
  }

  private InputStream body(HttpServletRequest request) throws IOException {
    return new LimitedInputStream(request.getInputStream(), properties.maxBytes().toBytes());
  }

  private ResponseEntity<ImportView> store(
      ClientId client, long campaignId, UploadParser.Parsed parsed) {
    long importId;
    try {
      importId =
          imports
              .create(
                  client.value(),
                  campaignId,
                  parsed.format(),
                  parsed.totalRows(),
                  parsed.staged(),
                  parsed.rejections(),
                  properties.batchSize())
              .orElseThrow(() -> new NotFoundException("campaign", campaignId));
    } catch (CampaignStateException e) {
      throw stopped();
    }
    Paging first = Paging.of(null, null, api);
    if (parsed.totalRows() <= properties.inlineMaxRows()) {
      runner.run(client.value(), importId);
      return ResponseEntity.created(location(importId)).body(view(client.value(), importId, first));
    }
    runner.submit(client.value(), importId);
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .location(location(importId))
        .body(view(client.value(), importId, first));
  }

  private ImportView view(long clientId, long id, Paging paging) {
    ImportSummary summary =
        imports.find(clientId, id).orElseThrow(() -> new NotFoundException("import", id));
    return ImportView.of(summary, rejections.list(clientId, id, paging.page(), paging.size()));
  }

  private static URI location(long importId) {
    return URI.create("/api/v1/imports/" + importId);
  }

  private static ConflictException stopped() {
    return new ConflictException("Leads cannot be imported into a STOPPED campaign.")
        .with("currentStatus", CampaignStatus.STOPPED.name());
  }

  /** The charset the Content-Type names, UTF-8 when it names none; an unknown one is a 415. */
  private static Charset charset(HttpServletRequest request) {
    String name = request.getCharacterEncoding();
    if (name == null) {
      return StandardCharsets.UTF_8;
    }
    try {
      return Charset.forName(name);
    } catch (IllegalArgumentException e) {
      throw new ResponseStatusException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unknown charset");
    }
  }
}
