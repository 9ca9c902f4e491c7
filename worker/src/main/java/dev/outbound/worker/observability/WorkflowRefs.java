package dev.outbound.worker.observability;

import dev.outbound.workflows.LeadRef;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the internal IDs an error report is tagged with: campaign and lead from a workflow ID
 * ({@code campaign-12} or {@code campaign-12-lead-345}, as built by {@code
 * dev.outbound.workflows.WorkflowIds}; a test keeps the two in step), and the client from the
 * arguments: a {@link LeadRef}, any record with a {@code clientId} component (such as {@code
 * CampaignInput}), or a record holding a {@code LeadRef} (such as {@code LeadProgress}).
 *
 * <p>Only numeric IDs are ever read, so nothing else of an argument can reach a report.
 */
final class WorkflowRefs {

  static final String CLIENT = "client.id";
  static final String CAMPAIGN = "campaign.id";
  static final String LEAD = "lead.id";

  private static final Pattern WORKFLOW_ID = Pattern.compile("campaign-(\\d+)(?:-lead-(\\d+))?");

  private WorkflowRefs() {}

  /** The campaign and lead tags of a workflow ID; empty for an ID of another form. */
  static Map<String, String> fromWorkflowId(String workflowId) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (workflowId != null) {
      Matcher m = WORKFLOW_ID.matcher(workflowId);
      if (m.matches()) {
        tags.put(CAMPAIGN, m.group(1));
        if (m.group(2) != null) {
          tags.put(LEAD, m.group(2));
        }
      }
    }
    return tags;
  }

  /**
   * All ID tags of a call: those of the workflow ID, completed from the arguments. Besides the
   * records, a call whose first two arguments are {@code (clientId, campaignId)}, the convention of
   * {@code CampaignActivities}, gives its client when the second equals the workflow's campaign.
   */
  static Map<String, String> of(String workflowId, Object[] arguments) {
    Map<String, String> tags = fromWorkflowId(workflowId);
    Map<String, String> fromArguments = fromArguments(arguments);
    fromArguments.forEach(tags::putIfAbsent);
    if (!tags.containsKey(CLIENT)
        && arguments != null
        && arguments.length >= 2
        && arguments[0] instanceof Long clientId
        && arguments[1] instanceof Long campaignId
        && campaignId.toString().equals(tags.get(CAMPAIGN))) {
      tags.put(CLIENT, clientId.toString());
    }
    return tags;
  }

  /**
   * The ID tags found in the arguments (client, and campaign and lead where a {@link LeadRef}
   * carries them). Plain {@code long} arguments cannot be told apart and are not read.
   */
  static Map<String, String> fromArguments(Object[] arguments) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (arguments == null) {
      return tags;
    }
    for (Object argument : arguments) {
      LeadRef lead = leadRefIn(argument);
      if (lead != null) {
        tags.put(CLIENT, Long.toString(lead.clientId()));
        tags.put(CAMPAIGN, Long.toString(lead.campaignId()));
        tags.put(LEAD, Long.toString(lead.leadId()));
        return tags;
      }
      Long clientId = longComponent(argument, "clientId");
      if (clientId != null) {
        tags.put(CLIENT, clientId.toString());
        Long campaignId = longComponent(argument, "campaignId");
        if (campaignId != null) {
          tags.put(CAMPAIGN, campaignId.toString());
        }
        return tags;
      }
    }
    return tags;
  }

  private static LeadRef leadRefIn(Object argument) {
    if (argument instanceof LeadRef lead) {
      return lead;
    }
    if (argument instanceof Record record) {
      for (RecordComponent component : record.getClass().getRecordComponents()) {
        if (component.getType() == LeadRef.class) {
          Object value = read(component, record);
          if (value instanceof LeadRef lead) {
            return lead;
          }
        }
      }
    }
    return null;
  }

  private static Long longComponent(Object argument, String name) {
    if (argument instanceof Record record) {
      for (RecordComponent component : record.getClass().getRecordComponents()) {
        if (component.getName().equals(name)
            && (component.getType() == long.class || component.getType() == Long.class)) {
          return (Long) read(component, record);
        }
      }
    }
    return null;
  }

  private static Object read(RecordComponent component, Record record) {
    try {
      return component.getAccessor().invoke(record);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // An accessor that cannot be called only costs a tag, never the report.
      return null;
    }
  }
}
