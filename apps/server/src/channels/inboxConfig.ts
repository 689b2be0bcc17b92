// A channel inbox's config as the console sends it (settings and secrets in one object) split into the
// non-secret settings (stored as JSON) and the secrets (sealed), checked against the adapter's schema.
// Secrets are write-only: on update, one left out or sent empty keeps its stored value.
import { Value } from 'typebox/value';
import { HttpProblem } from '../http/problems.ts';
import type { AnyChannelAdapter } from './registry.ts';

type ConfigInput = Record<string, string | number | boolean | null>;

export interface SplitConfig {
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
}

export function splitChannelConfig(
  adapter: AnyChannelAdapter,
  input: ConfigInput,
  stored: { settings: Record<string, unknown>; secrets: Record<string, string> } | null,
): SplitConfig {
  const secretFields = new Set(adapter.secretFields);
  const settings: Record<string, unknown> = { ...(stored?.settings ?? {}) };
  const secrets: Record<string, string> = { ...(stored?.secrets ?? {}) };
  for (const [field, value] of Object.entries(input)) {
    if (secretFields.has(field)) {
      if (value === null) delete secrets[field];
      else if (value !== '') secrets[field] = String(value);
      continue;
    }
    if (value === null) delete settings[field];
    else settings[field] = value;
  }
  const merged = { ...settings, ...secrets };
  if (!Value.Check(adapter.configSchema, merged)) {
    const errors = [...Value.Errors(adapter.configSchema, merged)].slice(0, 20).map((e) => {
      const item = e as unknown as { instancePath?: string; path?: string; message?: string };
      const path = item.instancePath ?? item.path ?? '';
      // Messages describe the rule, never the value, so a mistyped secret is not echoed back.
      return { path: `body/config${path}`, message: item.message ?? 'is invalid' };
    });
    throw new HttpProblem('validation_failed', `The ${adapter.id} settings are invalid`, errors);
  }
  return { settings, secrets };
}
