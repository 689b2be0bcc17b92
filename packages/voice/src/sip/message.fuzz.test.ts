// Property tests: random and mutated input never throws anything but SipParseError, never takes long,
// and whatever parses serialises to something that parses to the same headers and body.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SipParseError } from './errors.ts';
import { BARESIP_INVITE, BARESIP_REGISTER, COMPACT_OPTIONS } from './fixtures.test-data.ts';
import { getContacts, getCSeq, getFrom, getHeaderValues, getRoutes, getTo, getVias } from './headers.ts';
import { parseMessage, type SipMessage, serializeMessage } from './message.ts';

const SEED = Number(process.env.ZHIKE_FUZZ_SEED ?? 20_261_126);
const SEEDS = [BARESIP_REGISTER, BARESIP_INVITE, COMPACT_OPTIONS];
// Characters that matter to the grammar, so mutations hit separators rather than only letters.
const SPECIAL = [...'\r\n \t:;,<>"\\@[]=?/%*.', '\u0000', '\u00ff', '中'];

function parseOrNull(data: Uint8Array | string, stream: boolean): SipMessage | null {
  try {
    return parseMessage(data, { stream });
  } catch (e) {
    if (e instanceof SipParseError) return null;
    throw e;
  }
}

/** Every typed reader must also fail only with SipParseError on a message that parsed. */
function readEverything(msg: SipMessage): void {
  try {
    getVias(msg);
    getFrom(msg);
    getTo(msg);
    getCSeq(msg);
    getContacts(msg);
    getRoutes(msg, 'Route');
    for (const name of ['Allow', 'Supported', 'Via', 'Contact']) getHeaderValues(msg, name);
  } catch (e) {
    if (!(e instanceof SipParseError)) throw e;
  }
}

function checkStable(msg: SipMessage): void {
  const again = parseMessage(serializeMessage(msg), { stream: true });
  expect(again.headers.filter((h) => h.name !== 'Content-Length')).toEqual(
    msg.headers.filter((h) => h.name !== 'Content-Length'),
  );
  expect(again.body.equals(msg.body)).toBe(true);
}

const mutation = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...SPECIAL), fc.string({ maxLength: 8 })),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), text: fc.constantFrom(...SPECIAL) }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(text: string, m: Mutation): string {
  const at = text.length === 0 ? 0 : m.at % text.length;
  switch (m.kind) {
    case 'insert':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.length);
    case 'replace':
      return text.slice(0, at) + m.text + text.slice(at + 1);
    case 'duplicate-line': {
      const lines = text.split('\r\n');
      const i = m.at % lines.length;
      lines.splice(i, 0, lines[i] ?? '');
      return lines.join('\r\n');
    }
  }
}

describe('SIP parser fuzz', () => {
  it('random bytes only ever raise SipParseError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.boolean(), (bytes, stream) => {
        const msg = parseOrNull(bytes, stream);
        if (msg) readEverything(msg);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('mutated real messages only ever raise SipParseError, and what parses round-trips', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SEEDS),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        (seed, mutations, stream) => {
          const text = mutations.reduce(mutate, seed);
          const msg = parseOrNull(text, stream);
          if (!msg) return;
          readEverything(msg);
          checkStable(msg);
        },
      ),
      { seed: SEED, numRuns: 6000 },
    );
  });

  it('pathological inputs at the size limit parse or fail quickly', () => {
    const line = 8000;
    const inputs = [
      BARESIP_REGISTER.replace('Via: SIP/2.0/UDP ', `Via: SIP/2.0/UDP ${' '.repeat(line)}`),
      BARESIP_REGISTER.replace('Via: SIP/2.0/UDP 127.0.0.1', `Via: SIP/2.0/UDP ${'a'.repeat(line)}!`),
      BARESIP_REGISTER.replace('To: <', `To: ${'<'.repeat(line)}`),
      BARESIP_REGISTER.replace('To: <', `To: ${'"'.repeat(line)}`),
      BARESIP_REGISTER.replace('Contact: <', `Contact: ${';'.repeat(line)}`),
      BARESIP_REGISTER.replace('Allow: ', `Allow: ${','.repeat(line)}`),
      BARESIP_REGISTER.replace('Max-Forwards', `Max-Forwards${' '.repeat(line)}`),
      BARESIP_REGISTER.replace('Call-ID: ', `Call-ID: ${'a@'.repeat(line / 2)}`),
      BARESIP_REGISTER.replace(
        'Content-Length: 0',
        `${'X: y\r\n'.repeat(120)}${' z\r\n'.repeat(2000)}Content-Length: 0`,
      ),
      `${'\r\n'.repeat(30_000)}${BARESIP_REGISTER}`,
      `${'a'.repeat(65_000)}`,
    ];
    for (const input of inputs) {
      const started = performance.now();
      const msg = parseOrNull(input, false);
      if (msg) readEverything(msg);
      expect(performance.now() - started).toBeLessThan(200);
    }
  });
});
