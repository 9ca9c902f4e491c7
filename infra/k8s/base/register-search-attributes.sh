#!/bin/sh
# Registers Outbound's custom search attributes in the Temporal namespace the apps use. Idempotent: an
# attribute that already exists with the same type counts as done, so the job can run on every sync.
# The temporal CLI reads TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TLS and TEMPORAL_API_KEY from
# the environment, the same variables the api and the worker read.
set -eu

# name:type pairs. They must match the keys the workflows upsert (issue 6, "Temporal UI legibility").
ATTRIBUTES="OutboundClientId:Int OutboundCampaignId:Int OutboundLeadStatus:Keyword OutboundStep:Int"

echo "Temporal ${TEMPORAL_ADDRESS}, namespace ${TEMPORAL_NAMESPACE}"

# The frontend may still be starting (a fresh install): wait up to five minutes for it.
tries=0
until temporal operator namespace describe --namespace "${TEMPORAL_NAMESPACE}" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "${tries}" -ge 60 ]; then
    echo "Temporal namespace ${TEMPORAL_NAMESPACE} not reachable at ${TEMPORAL_ADDRESS}" >&2
    exit 1
  fi
  sleep 5
done

# True when the attribute is listed with the expected type (the CLI prints e.g. "OutboundStep  Int").
registered() {
  temporal operator search-attribute list --namespace "${TEMPORAL_NAMESPACE}" \
    | grep -Eiq "(^|[[:space:]])$1[[:space:]]+(INDEXED_VALUE_TYPE_)?$2([[:space:]]|$)"
}

for pair in ${ATTRIBUTES}; do
  name="${pair%%:*}"
  type="${pair##*:}"
  if registered "${name}" "${type}"; then
    echo "${name} (${type}) already registered"
    continue
  fi
  # A concurrent run may create it between the check and here: re-check before failing.
  if temporal operator search-attribute create --namespace "${TEMPORAL_NAMESPACE}" \
      --name "${name}" --type "${type}"; then
    echo "${name} (${type}) registered"
  elif registered "${name}" "${type}"; then
    echo "${name} (${type}) already registered"
  else
    echo "could not register ${name} (${type}); an attribute of that name with another type?" >&2
    exit 1
  fi
done
