import { readFileSync } from 'node:fs';
import {
  buildClientSchema,
  execute,
  getOperationAST,
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values.js';

/**
 * GitHub's published GraphQL schema (the dev package @octokit/graphql-schema) as a request checker and
 * executor for the fake GitHub: a request document must parse, validate against the schema and have
 * variables that coerce to their declared types; a valid one is executed against the schema, so the
 * answer has exactly the shape GitHub's would for the fields asked.
 *
 * The schema is built from the package's introspection result (`schema.json`), as the package's own
 * validator does: its `schema.graphql` defines two `EnterpriseOwnerInfo` fields twice, which
 * `buildSchema` rightly refuses. It is built once per process (about 0.3 s).
 */

let schema: GraphQLSchema | undefined;

export function githubGraphqlSchema(): GraphQLSchema {
  if (!schema) {
    const file = new URL('./schema.json', import.meta.resolve('@octokit/graphql-schema'));
    schema = buildClientSchema(JSON.parse(readFileSync(file, 'utf8')) as IntrospectionQuery);
  }
  return schema;
}

/** A request that passed every check: ready to execute. */
export interface CheckedGraphqlRequest {
  document: DocumentNode;
  operationName: string | undefined;
  variables: Record<string, unknown>;
}

/** Checks a `POST /graphql` body; `violations` is empty when GitHub would accept it. */
export function checkGraphqlRequest(body: unknown): { violations: string[]; request?: CheckedGraphqlRequest } {
  const { query, variables = {}, operationName } = (body ?? {}) as { query?: unknown; variables?: unknown; operationName?: unknown };
  if (typeof query !== 'string') return { violations: ['the body has no query string'] };
  if (variables === null || typeof variables !== 'object' || Array.isArray(variables)) return { violations: ['variables is not an object'] };
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return { violations: ['operationName is not a string'] };
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return { violations: [`the document does not parse: ${(error as Error).message}`] };
  }
  const schemaErrors = validate(githubGraphqlSchema(), document);
  if (schemaErrors.length > 0) return { violations: schemaErrors.map((e) => `the document is invalid: ${e.message}`) };
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) return { violations: [`no single operation${operationName ? ` named ${operationName}` : ''} to run`] };
  const coerced = getVariableValues(githubGraphqlSchema(), operation.variableDefinitions ?? [], variables as Record<string, unknown>);
  if (coerced.errors) return { violations: coerced.errors.map((e) => `variables: ${e.message}`) };
  return { violations: [], request: { document, operationName: operationName ?? undefined, variables: coerced.coerced } };
}

/** An error GitHub itself answers (e.g. NOT_FOUND), as opposed to a field the fake does not model. */
export class GithubGraphqlError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** A field asked for that the fake has no value for: a gap in the fake, reported as a violation. */
const unmodelled: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
  const value = (source as Record<string, unknown> | null)?.[info.fieldName];
  if (typeof value === 'function') return (value as (a: unknown, c: unknown) => unknown)(args, context);
  if (value === undefined) throw new Error(`the fake GitHub does not model ${info.parentType.name}.${info.fieldName}`);
  return value;
};

export interface GithubGraphqlAnswer {
  /** The JSON GitHub would answer (200), errors in GitHub's shape (`type`, `path`, `locations`, `message`). */
  body: ExecutionResult | { data?: unknown; errors: unknown[] };
  /** Errors that are gaps in the fake rather than answers GitHub gives. */
  violations: string[];
}

/**
 * Executes a checked request. `root` holds the query or mutation fields the fake serves as functions of
 * their arguments, returning plain objects with the schema's field names; every field asked must be there.
 */
export async function executeGithubGraphql(request: CheckedGraphqlRequest, root: Record<string, unknown>): Promise<GithubGraphqlAnswer> {
  const result = await execute({
    schema: githubGraphqlSchema(),
    document: request.document,
    variableValues: request.variables,
    operationName: request.operationName ?? null,
    rootValue: root,
    fieldResolver: unmodelled,
  });
  if (!result.errors) return { body: result, violations: [] };
  const violations: string[] = [];
  const errors = result.errors.map((error: GraphQLError) => {
    const github = error.originalError instanceof GithubGraphqlError ? error.originalError : undefined;
    if (!github) violations.push(`graphql answer: ${error.message}`);
    return { type: github?.type ?? 'INTERNAL', path: error.path, locations: error.locations, message: error.message };
  });
  return { body: { data: result.data, errors }, violations };
}
