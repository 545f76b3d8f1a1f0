import * as z from 'zod';

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

/** The schema that validates the value at `path`, for its description and, on objects, its keys. */
export function findSchemaAtPath(root: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let schema: z.ZodType | undefined = root;
  for (const segment of path) {
    const current = unwrap(schema);
    if (current instanceof z.ZodObject && typeof segment === 'string') {
      schema = (current.shape as Record<string, z.ZodType>)[segment];
    } else if (current instanceof z.ZodArray && typeof segment === 'number') {
      schema = current.element as z.ZodType;
    } else {
      return undefined;
    }
    if (schema === undefined) return undefined;
  }
  return unwrap(schema);
}

/** The keys an object schema at `path` allows, in declaration order ([] when it is no object). */
export function listAllowedKeys(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  const schema = findSchemaAtPath(root, path);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}
