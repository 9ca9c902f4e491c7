package dev.outbound.api.imports;

import dev.outbound.api.temporal.WorkflowSignals;
import dev.outbound.api.web.WorkflowServiceUnavailableException;
import dev.outbound.crm.admin.CampaignStateException;
import dev.outbound.crm.admin.CampaignStore;
import dev.outbound.crm.imports.ImportBatchStore;
import dev.outbound.crm.imports.ImportSummary;
import dev.outbound.crm.imports.LeadImportStore;
import dev.outbound.vocabulary.status.CampaignStatus;
import java.sql.SQLException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Writes stored imports batch by batch: small ones in the request that uploaded them, large ones on
 * a small pool of background threads. When the application is ready it resumes every import left
 * queued or running (by a restart or a crash); since a written batch is never written again,
 * resuming is always safe, even when another API replica is working on the same import.
 *
 * <p>On shutdown the runners stop between batches and leave their imports running, to be resumed by
 * the next start: a batch in progress still commits or rolls back as a whole.
 */
@Component
class ImportRunner implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(ImportRunner.class);

  private final LeadImportStore imports;
  private final ImportBatchStore batches;
  private final CampaignStore campaigns;
  private final WorkflowSignals signals;
  private final ImportProperties properties;
  private final ExecutorService executor;
  private volatile boolean stopping;

  ImportRunner(
      LeadImportStore imports,
      ImportBatchStore batches,
      CampaignStore campaigns,
      WorkflowSignals signals,
      ImportProperties properties) {
    this.imports = imports;
    this.batches = batches;
    this.campaigns = campaigns;
    this.signals = signals;
    this.properties = properties;
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            properties.threads(),
            r -> {
              Thread t = new Thread(r, "lead-import-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** Writes the import on a background thread. */
  void submit(long clientId, long importId) {
    executor.execute(() -> run(clientId, importId));
  }

  /** Resumes the imports that a previous run of the application left unfinished. */
  @EventListener(ApplicationReadyEvent.class)
  void resumeUnfinished() {
    for (LeadImportStore.ImportRef ref : imports.unfinished()) {
      log.info("Resuming lead import {} of client {}", ref.importId(), ref.clientId());
      submit(ref.clientId(), ref.importId());
    }
  }

  /**
   * Writes every batch the import has left, then signals the campaign to enrol the new leads and
   * marks the import done. A batch that fails marks the import failed, with the batches before it
   * written; a stopped campaign likewise.
   */
  void run(long clientId, long importId) {
    if (!imports.start(clientId, importId)) {
      return;
    }
    int current = 0;
    try {
      for (int batch : imports.pendingBatches(clientId, importId)) {
        if (stopping) {
          log.info("Lead import {} paused by shutdown before batch {}", importId, batch);
          return;
        }
        current = batch;
        batches.commitBatch(clientId, importId, batch, properties.dedupAcrossCampaigns());
      }
      imports.finish(clientId, importId, enrol(clientId, importId));
    } catch (CampaignStateException e) {
      imports.fail(
          clientId,
          importId,
          "The campaign was stopped during the import: batch "
              + current
              + " and later ones were not written; committedBatches lists the written ones.");
    } catch (RuntimeException e) {
      // Database errors can quote the failing row; log what kind of error it was, not its text.
      log.error(
          "Lead import {} of client {}: batch {} failed ({}, SQL state {})",
          importId,
          clientId,
          current,
          e.getClass().getName(),
          sqlState(e));
      imports.fail(
          clientId,
          importId,
          "Batch "
              + current
              + " could not be written, and nothing of it was; the batches before it are."
              + " POST /api/v1/imports/"
              + importId
              + "/resume writes the rest.");
    }
  }

  /**
   * Asks a running campaign to enrol the imported leads, as {@code POST .../leads} does.
   *
   * @return what is left to do when Temporal did not answer, or null
   */
  private String enrol(long clientId, long importId) {
    ImportSummary summary = imports.find(clientId, importId).orElseThrow();
    if (summary.accepted() == 0) {
      return null;
    }
    CampaignStatus status = campaigns.status(clientId, summary.campaignId()).orElse(null);
    if (status != CampaignStatus.ACTIVE && status != CampaignStatus.PAUSED) {
      return null;
    }
    try {
      signals.enrolPending(clientId, summary.campaignId());
      return null;
    } catch (WorkflowServiceUnavailableException e) {
      return "The leads are saved but not enrolled yet: the workflow service did not answer."
          + " POST /api/v1/campaigns/"
          + summary.campaignId()
          + "/start (safe to repeat) enrols them.";
    }
  }

  private static String sqlState(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        return sql.getSQLState();
      }
    }
    return "none";
  }

  @Override
  public void destroy() throws InterruptedException {
    stopping = true;
    executor.shutdown();
    if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
      executor.shutdownNow();
    }
  }
}
