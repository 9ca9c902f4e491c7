package dev.outbound.workflows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Campaign activity fake: a campaign of {@code leads} leads enrolled in pages, recording fan-outs.
 */
final class FakeCampaignActivities implements CampaignActivities {

  final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  private long pending;
  private final long leads;

  FakeCampaignActivities(long leads) {
    this.leads = leads;
    this.pending = leads;
  }

  synchronized void addLeads(long more) {
    pending += more;
  }

  @Override
  public synchronized FanOutPage enrolPending(long clientId, long campaignId, int batchSize) {
    int n = (int) Math.min(batchSize, pending);
    pending -= n;
    calls.add("enrol " + n);
    return new FanOutPage(n, 0, n == batchSize);
  }

  @Override
  public FanOutPage signalLeads(
      long clientId, long campaignId, CampaignAction action, long afterLeadId, int batchSize) {
    long remaining = Math.max(0, leads - afterLeadId);
    int n = (int) Math.min(batchSize, remaining);
    calls.add(action + " " + n);
    return new FanOutPage(n, afterLeadId + n, n == batchSize);
  }
}
