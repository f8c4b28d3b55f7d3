/**
 * Request-parameter parsing the way Poster (PHP) sees it: JSON bodies, and form bodies
 * (urlencoded or multipart) whose keys use PHP bracket notation: `supply[date]`, `ingredient[0][id]`.
 */
export type Params = Record<string, unknown>;

const FORBIDDEN = new Set(["__proto__", "prototype", "constructor"]);

function splitKey(key: string): string[] | null {
  const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!m || m[1] === undefined) return null;
  const rest = [...(m[2] ?? "").matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1] ?? "");
  return [m[1], ...rest];
}

/** Objects whose keys are exactly 0..n-1 become arrays, as PHP would treat them. */
function arrayify(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) obj[k] = arrayify(obj[k]);
  const keys = Object.keys(obj);
  if (keys.length > 0 && keys.every((k, i) => k === String(i))) return keys.map((k) => obj[k]);
  return obj;
}

export function parseBracketEntries(entries: Iterable<[string, string]>): Params {
  const root: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    const path = splitKey(key) ?? [key];
    if (path.some((p) => FORBIDDEN.has(p))) continue;
    let node: Record<string, unknown> = root;
    for (let i = 0; i < path.length; i++) {
      let seg = path[i] as string;
      const last = i === path.length - 1;
      if (seg === "") seg = String(Object.keys(node).length); // `a[]=x` appends
      if (last) {
        node[seg] = value;
      } else {
        const next = node[seg];
        if (next === null || typeof next !== "object") node[seg] = {};
        node = node[seg] as Record<string, unknown>;
      }
    }
  }
  return arrayify(root) as Params;
}

export type BodyResult = { ok: true; params: Params } | { ok: false; message: string };

export async function readBodyParams(request: Request): Promise<BodyResult> {
  if (request.method === "GET" || request.method === "HEAD") return { ok: true, params: {} };
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  try {
    if (type.includes("application/json")) {
      const text = await request.text();
      if (!text.trim()) return { ok: true, params: {} };
      const parsed: unknown = JSON.parse(text);
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return { ok: false, message: "JSON body must be an object" };
      return { ok: true, params: parsed as Params };
    }
    if (type.includes("application/x-www-form-urlencoded") || type.includes("multipart/form-data")) {
      const form = await request.formData();
      const entries: [string, string][] = [];
      form.forEach((v, k) => entries.push([k, typeof v === "string" ? v : v.name]));
      return { ok: true, params: parseBracketEntries(entries) };
    }
    const text = await request.text();
    if (!text.trim()) return { ok: true, params: {} };
    // No content type: PHP would not parse it either; try urlencoded as the most common default.
    return { ok: true, params: parseBracketEntries(new URLSearchParams(text).entries()) };
  } catch {
    return { ok: false, message: "Malformed request body" };
  }
}

export function queryParams(url: URL): Params {
  return parseBracketEntries(url.searchParams.entries());
}
