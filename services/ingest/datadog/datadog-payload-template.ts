/**
 * The payload to paste into Datadog's Webhooks integration for Nightshift (also shipped as
 * `deploy/datadog-webhook-template.json`). Field names follow Datadog's default payload where the
 * two overlap, so the receiver reads both.
 *
 * Every variable is quoted, numbers and JSON too. Inside a string Datadog escapes what it
 * substitutes (its own default payload quotes `$EVENT_MSG`, markdown with quotes and newlines), so
 * the body is valid JSON whatever a variable holds; `$LOGS_SAMPLE` is only filled for log monitors,
 * and unquoted it could leave the others' bodies unparseable. So `$LOGS_SAMPLE` arrives as a
 * string holding JSON, `$DATE` as epoch milliseconds in a string, `$TAGS` as "key:value, key:value";
 * the receiver decodes each, and takes the unquoted forms as well.
 */
export const DATADOG_PAYLOAD_TEMPLATE = `{
  "id": "$ID",
  "alert_id": "$ALERT_ID",
  "aggreg_key": "$AGGREG_KEY",
  "alert_cycle_key": "$ALERT_CYCLE_KEY",
  "alert_transition": "$ALERT_TRANSITION",
  "alert_type": "$ALERT_TYPE",
  "alert_priority": "$ALERT_PRIORITY",
  "alert_status": "$ALERT_STATUS",
  "event_type": "$EVENT_TYPE",
  "title": "$EVENT_TITLE",
  "body": "$EVENT_MSG",
  "date": "$DATE",
  "last_updated": "$LAST_UPDATED",
  "tags": "$TAGS",
  "hostname": "$HOSTNAME",
  "link": "$LINK",
  "snapshot": "$SNAPSHOT",
  "logs_sample": "$LOGS_SAMPLE",
  "org": { "id": "$ORG_ID" }
}
`;

/** The custom header Datadog must send with every delivery (Webhooks integration → Custom Headers). */
export const DATADOG_CUSTOM_HEADERS_TEMPLATE = `{ "X-Nightshift-Token": "<the value of NIGHTSHIFT_DATADOG_TOKEN>" }`;
