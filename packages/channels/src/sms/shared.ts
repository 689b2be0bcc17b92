// Small pieces the three SMS adapters share: reading a vendor's JSON answer without trusting it, and the
// config fields every SMS inbox has.
import Type from 'typebox';

/** The body as JSON, or null when it is not JSON (a proxy's HTML error page, an empty 502 …). */
export async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const str = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

/** Parse a JSON body; null for anything that is not JSON. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

export const CallbackToken = Type.String({
  minLength: 24,
  maxLength: 128,
  pattern: '^[A-Za-z0-9_-]+$',
  description:
    'Secret appended to the callback URL as ?token=…; the vendor signs nothing it pushes, so this is what proves a callback is theirs',
});

export const CountryCode = Type.String({
  pattern: '^[1-9][0-9]{0,3}$',
  description: 'Country code for numbers the vendor reports without one (default 86)',
});

export const HttpsUrl = Type.String({
  minLength: 8,
  maxLength: 500,
  pattern: '^https?://[^\\s]+$',
});
