import { z } from "zod";

/**
 * JSON Schema keywords the model API's strict structured-output mode does not
 * accept; size limits stay in the zod schema that parses the answer.
 */
const UNSUPPORTED = ["$schema", "maxLength", "minLength", "maxItems", "minItems", "pattern", "format", "default"] as const;

type JsonObject = { [key: string]: unknown };

/**
 * A zod schema as a strict-mode JSON Schema for Codex's `outputSchema`
 * (DESIGN.md §5): every property required, `additionalProperties: false` on
 * every object, optional values expressed as `null`.
 */
export function toStrictJsonSchema(schema: z.ZodType): JsonObject {
  const json = z.toJSONSchema(schema, { io: "output", target: "draft-2020-12" }) as JsonObject;
  return tighten(json, "$") as JsonObject;
}

function tighten(node: unknown, where: string): unknown {
  if (Array.isArray(node)) return node.map((item, index) => tighten(item, `${where}[${index}]`));
  if (!node || typeof node !== "object") return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if ((UNSUPPORTED as readonly string[]).includes(key)) continue;
    out[key] = key === "properties" ? mapValues(value as JsonObject, (child, name) => tighten(child, `${where}.${name}`)) : tighten(value, where);
  }
  if (out.type === "object" || out.properties) {
    const properties = Object.keys((out.properties as JsonObject | undefined) ?? {});
    const required = new Set((out.required as string[] | undefined) ?? []);
    const optional = properties.filter((name) => !required.has(name));
    // Strict mode has no optional properties: an optional field is a schema bug, not a runtime case.
    if (optional.length > 0) throw new Error(`${where}: ${optional.join(", ")} must be required (use .nullable() for optional values)`);
    out.required = properties;
    out.additionalProperties = false;
  }
  return out;
}

function mapValues(object: JsonObject, fn: (value: unknown, key: string) => unknown): JsonObject {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, fn(value, key)]));
}
