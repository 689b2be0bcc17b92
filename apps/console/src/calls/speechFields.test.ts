// The form's provider fields against the providers' own catalogue: a renamed, newly required or newly
// secret field there fails here instead of in a shop's settings.
import { describe, expect, it } from 'vitest';
import { SPEECH_PROVIDERS } from '../../../../packages/providers/src/speech/settings.ts';
import { speechProviders } from './speechFields.ts';

describe('speech settings form fields', () => {
  for (const role of ['asr', 'tts'] as const) {
    for (const form of speechProviders[role].filter((p) => p.id !== 'none')) {
      it(`${role} ${form.id} matches the providers' catalogue`, () => {
        const specs = SPEECH_PROVIDERS[role][form.id];
        expect(specs, `${form.id} is a ${role} provider`).toBeDefined();
        for (const field of form.fields) {
          const spec = specs?.find((s) => s.name === field.name);
          expect(spec, `${form.id}.${field.name}`).toBeDefined();
          expect(Boolean(field.secret), `${form.id}.${field.name} secret`).toBe(Boolean(spec?.secret));
          expect(Boolean(field.required), `${form.id}.${field.name} required`).toBe(Boolean(spec?.required));
          if (spec?.options) expect(field.options).toEqual(spec.options);
        }
        const required = (specs ?? []).filter((s) => s.required && !s.perLanguage).map((s) => s.name);
        expect(form.fields.map((f) => f.name)).toEqual(expect.arrayContaining(required));
      });
    }
  }
});
