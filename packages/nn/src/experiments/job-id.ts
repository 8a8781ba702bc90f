/**
 * JSON text with object keys sorted at every level, so two equal configs give the same text whatever
 * order their fields were written in. NaN and infinities are written as the strings `stringifyJson` uses.
 */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : `"${value}"`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;

/**
 * 64-bit FNV-1a over the UTF-8 bytes of `text`, as 16 hex digits. A job id must be the same on every
 * machine and in every version of the code, in Node and in the browser (no node:crypto there); 64 bits
 * make a collision among even a million jobs about a 1-in-40-million event.
 */
export function fnv1a64(text: string): string {
  let h = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte);
    h = (h * FNV_PRIME) & MASK_64;
  }
  return h.toString(16).padStart(16, '0');
}

/** The id of a job: the hash of its config in canonical form. Same config, same id, on any machine. */
export function jobId(config: unknown): string {
  return fnv1a64(canonicalJson(config));
}
