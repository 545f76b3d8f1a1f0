import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';

/**
 * GitHub's published OpenAPI description (the api.github.com document from the dev package
 * @octokit/openapi) as a request/response checker for fake servers. The 13 MB document is read once per
 * process; only the operations a fake serves are compiled, each schema once.
 *
 * OpenAPI 3.0 quirks handled: `nullable` (Ajv supports it natively), `example`/`x-github` and other
 * vendor keywords (strict mode off), GitHub's own formats (`repo.nwo`, `int64`), `$ref`s into
 * `#/components` from inline schemas (rewritten to the one registered components document), and
 * parameters arriving as strings (coerced by their schema's type before validation).
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonObject;
}

export interface MatchedOperation {
  operationId: string;
  method: string;
  /** The path template, e.g. `/repos/{owner}/{repo}/pulls`. */
  route: string;
  params: Record<string, string>;
}

export interface GithubOpenApi {
  /** The operation (among those loaded) that serves `method pathname`, with its path parameters. */
  match(method: string, pathname: string): MatchedOperation | undefined;
  /** Violations of the operation's parameters and request body; empty when the request is valid. */
  validateRequest(operation: MatchedOperation, request: { query: URLSearchParams; body: unknown }): string[];
  /** Violations of the documented response for `status`; empty when the response is valid. */
  validateResponse(operation: MatchedOperation, status: number, body: unknown): string[];
}

/** Statuses GitHub documents once for the whole API (authentication, rate limits), not per operation. */
const API_WIDE_ERROR_STATUSES = new Set([401, 403, 404, 429]);
const COMPONENTS_ID = 'github-components';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module object.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (ajv: Ajv) => Ajv;

let loaded: { spec: JsonObject; ajv: Ajv; compiled: Map<string, ValidateFunction> } | undefined;

function load(): NonNullable<typeof loaded> {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
  const spec = JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  addFormats(ajv);
  for (const format of ['repo.nwo', 'int64', 'int32', 'ssh-key', 'ssh-key fingerprint']) ajv.addFormat(format, true);
  ajv.addSchema({ $id: COMPONENTS_ID, components: rebase(spec.components ?? {}) }, undefined, undefined, false);
  loaded = { spec, ajv, compiled: new Map() };
  return loaded;
}

/**
 * Inline schemas point at `#/components/...` of the whole document; point them at the registered copy.
 * A `nullable` enum gets `null` among its values: GitHub documents, e.g., a running check run's
 * `conclusion` as a nullable enum and answers `null`, which Ajv's `enum` would otherwise refuse.
 */
function rebase(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (schema === null || typeof schema !== 'object') return schema;
  const rebased: JsonObject = Object.fromEntries(
    Object.entries(schema).map(([key, value]) =>
      key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? [key, `${COMPONENTS_ID}${value}`] : [key, rebase(value)],
    ),
  );
  if (rebased.nullable === true && Array.isArray(rebased.enum) && !rebased.enum.includes(null)) rebased.enum = [...rebased.enum, null];
  return rebased;
}

function resolveRef(spec: JsonObject, value: Json | undefined): JsonObject | undefined {
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const ref = value.$ref;
  if (typeof ref !== 'string') return value;
  let node: Json | undefined = spec;
  for (const part of ref.slice(2).split('/')) {
    node = node !== null && typeof node === 'object' && !Array.isArray(node) ? node[part.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined;
  }
  return resolveRef(spec, node);
}

function coerce(value: string, schema: JsonObject | undefined): unknown {
  const type = schema?.type;
  if ((type === 'integer' || type === 'number') && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function describe(validate: ValidateFunction, where: string): string[] {
  return (validate.errors ?? []).map((error) => `${where}${error.instancePath} ${error.message ?? 'is invalid'}${error.params ? ` ${JSON.stringify(error.params)}` : ''}`);
}

/** Loads the description (once per process) and prepares the given `[method, pathTemplate]` operations. */
export function loadGithubOpenApi(operations: ReadonlyArray<readonly [method: string, route: string]>): GithubOpenApi {
  const { spec, ajv, compiled } = load();
  const paths = spec.paths as Record<string, JsonObject>;

  const validator = (key: string, schema: Json): ValidateFunction => {
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(rebase(schema) as object);
      compiled.set(key, validate);
    }
    return validate;
  };

  const routes = operations.map(([method, route]) => {
    const operation = paths[route]?.[method.toLowerCase()];
    if (!operation || typeof operation !== 'object' || Array.isArray(operation)) {
      throw new Error(`${method} ${route} is not in GitHub's OpenAPI description`);
    }
    const names: string[] = [];
    const pattern = route.replace(/\{([^}]+)\}/g, (_, name: string) => {
      names.push(name);
      // `{path}` in the contents API spans slashes.
      return name === 'path' ? '(.+)' : '([^/]+)';
    });
    return { method: method.toUpperCase(), route, operation, names, regex: new RegExp(`^${pattern}$`) };
  });

  const find = (matched: MatchedOperation) => {
    const found = routes.find((r) => r.method === matched.method && r.route === matched.route);
    if (!found) throw new Error(`operation ${matched.method} ${matched.route} was not loaded`);
    return found;
  };

  return {
    match(method, pathname) {
      for (const r of routes) {
        if (r.method !== method.toUpperCase()) continue;
        const m = r.regex.exec(pathname);
        if (!m) continue;
        const params = Object.fromEntries(r.names.map((name, index) => [name, decodeURIComponent(m[index + 1] ?? '')]));
        return { operationId: String(r.operation.operationId), method: r.method, route: r.route, params };
      }
      return undefined;
    },

    validateRequest(matched, { query, body }) {
      const { operation, route, method } = find(matched);
      const violations: string[] = [];
      const parameters = ((operation.parameters ?? []) as Json[]).map((p) => resolveRef(spec, p) as unknown as OpenApiParameter);
      for (const parameter of parameters) {
        if (parameter.in !== 'path' && parameter.in !== 'query') continue;
        const raw = parameter.in === 'path' ? matched.params[parameter.name] : (query.get(parameter.name) ?? undefined);
        if (raw === undefined) {
          if (parameter.required) violations.push(`${parameter.in} parameter ${parameter.name} is required`);
          continue;
        }
        const validate = validator(`${method} ${route} param ${parameter.name}`, (parameter.schema ?? {}) as Json);
        if (!validate(coerce(raw, parameter.schema))) violations.push(...describe(validate, `${parameter.in} parameter ${parameter.name}`));
      }
      const known = new Set(parameters.filter((p) => p.in === 'query').map((p) => p.name));
      for (const name of query.keys()) if (!known.has(name)) violations.push(`query parameter ${name} is not documented`);

      const requestBody = resolveRef(spec, operation.requestBody);
      const schema = resolveRef(spec, (requestBody?.content as JsonObject | undefined)?.['application/json'])?.schema;
      if (body === undefined) {
        if (requestBody?.required === true) violations.push('the request body is required');
      } else if (schema === undefined) {
        violations.push('this operation takes no JSON request body');
      } else {
        const validate = validator(`${method} ${route} body`, schema);
        if (!validate(body)) violations.push(...describe(validate, 'request body'));
      }
      return violations;
    },

    validateResponse(matched, status, body) {
      const { operation, route, method } = find(matched);
      const responses = operation.responses as JsonObject;
      let response = resolveRef(spec, responses[String(status)] ?? responses.default);
      let key = `${method} ${route} ${status}`;
      if (!response && API_WIDE_ERROR_STATUSES.has(status)) {
        response = { content: { 'application/json': { schema: { $ref: '#/components/schemas/basic-error' } } } };
        key = 'basic-error';
      }
      if (!response) return [`status ${status} is not documented for ${matched.operationId}`];
      const schema = resolveRef(spec, (response.content as JsonObject | undefined)?.['application/json'])?.schema;
      // Documented without content (e.g. 422 of pulls/request-reviewers): the description leaves the body open.
      if (schema === undefined) return [];
      const validate = validator(key, schema);
      return validate(body) ? [] : describe(validate, `response ${status} body`);
    },
  };
}

/** A documented example from the description (`components.examples`), deep-copied for a fake to fill in. */
export function githubExample(name: string): JsonObject {
  const { spec } = load();
  const example = ((spec.components as JsonObject).examples as JsonObject)[name] as JsonObject | undefined;
  if (!example) throw new Error(`no example named ${name} in GitHub's OpenAPI description`);
  return structuredClone(example.value) as JsonObject;
}
