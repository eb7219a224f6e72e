// A rule's params schema as `charger-diag rules --json` shows it: each param's
// type in a short TypeScript-like spelling, and whether a finding may lack it.
import * as z from '../zod.js';

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

function typeOf(s: JsonSchema): string {
  if (s.anyOf) return s.anyOf.map(typeOf).join(' | ');
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : ['unknown'];
  return types
    .map((t) => {
      if (t === 'array') {
        const item = s.items ? typeOf(s.items) : 'unknown';
        return item.includes(' ') ? `(${item})[]` : `${item}[]`;
      }
      if (t === 'object' && s.properties) {
        const req = new Set(s.required ?? []);
        return `{ ${Object.entries(s.properties).map(([k, v]) => `${k}${req.has(k) ? '' : '?'}: ${typeOf(v)}`).join('; ')} }`;
      }
      return t === 'integer' ? 'number' : t;
    })
    .join(' | ');
}

export function paramsOf(schema: z.ZodMiniType): Record<string, { type: string; optional: boolean }> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const req = new Set(json.required ?? []);
  return Object.fromEntries(Object.entries(json.properties ?? {}).map(([k, v]) => [k, { type: typeOf(v), optional: !req.has(k) }]));
}
