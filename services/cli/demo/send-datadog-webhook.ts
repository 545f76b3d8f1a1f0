/** Posts a Datadog webhook body to Nightshift's receiver with the shared token; returns the HTTP status. */
export async function sendDatadogWebhook({ nightshiftUrl, token, body }: { nightshiftUrl: string; token: string; body: unknown }): Promise<{ status: number; answer: string }> {
  const response = await fetch(`${nightshiftUrl}/webhooks/datadog`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-nightshift-token': token },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, answer: await response.text() };
}
