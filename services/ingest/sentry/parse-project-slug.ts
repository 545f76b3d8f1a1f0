/**
 * The project slug in a Sentry API event url (`…/api/0/projects/<org>/<project>/events/<id>/`):
 * event payloads carry the project only as a numeric id.
 */
export function parseProjectSlug(url: string | undefined): string | undefined {
  const match = url ? /\/projects\/[^/]+\/([\w.-]+)\//.exec(url) : null;
  return match?.[1];
}
