import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createIdGenerator, systemClock } from '@zhike/core';
import { createTestDatabase, deleteNewestAuditRows, openDatabase, testBackends } from '@zhike/db';
import { describe, expect, it } from 'vitest';
import { credentialsBox } from './commands/serve.ts';
import { main } from './main.ts';

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

const run = async (argv: string[], env: Record<string, string> = {}) => {
  const out = capture();
  const err = capture();
  const code = await main(argv, {
    stdout: out.stream,
    stderr: err.stream,
    env: { LOG_LEVEL: 'silent', ...env },
  });
  return { code, stdout: out.text(), stderr: err.text() };
};

describe('zhike CLI', () => {
  it('prints help and rejects unknown commands', async () => {
    expect((await run(['help'])).stdout).toContain('zhike api-key create');
    const bad = await run(['frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Unknown command');
  });

  it('migrates, then creates an API key printed as the last line', async () => {
    const env = { ZHIKE_DATA_DIR: mkdtempSync(join(tmpdir(), 'zhike-cli-')) };
    expect((await run(['migrate'], env)).stdout).toContain('0001_initial');
    expect((await run(['migrate'], env)).stdout).toContain('up to date');
    const created = await run(['api-key', 'create', '--workspace', 'demo', '--name', 'shop'], env);
    expect(created.code).toBe(0);
    expect(created.stdout.trim().split('\n').at(-1)).toMatch(/^zk_[A-Za-z0-9_-]{40,}$/);
    const missing = await run(['api-key', 'create', '--workspace', 'nope'], env);
    expect(missing.code).toBe(1);
  });

  it('simulates a demo history, and refuses bad numbers', async () => {
    const env = { ZHIKE_DATA_DIR: mkdtempSync(join(tmpdir(), 'zhike-cli-')) };
    const seeded = await run(['demo', 'seed', '--days', '1', '--per-day', '2'], env);
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stdout).toMatch(/Done in \d+ s: [1-9]\d* conversations/);
    // The summary names every channel, the calls, tickets and surveys.
    expect(seeded.stdout).toMatch(
      /\(web chat \d+, WeChat \d+, API \d+, phone \d+, SMS \d+, e-mail \d+\).*\d+ calls .*\d+ tickets .*surveys answered/,
    );
    for (const bad of [['--days', '0'], ['--per-day', 'many'], ['--frob']]) {
      const res = await run(['demo', 'seed', ...bad], env);
      expect(res.code, bad.join(' ')).toBe(2);
      expect(res.stderr).toContain('Usage: zhike demo seed');
    }
  });

  it('explains configuration errors instead of crashing', async () => {
    const res = await run(['migrate'], { PORT: 'x' });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('PORT');
  });

  it('passes the arguments after `nlu eval` to the NLU command', async () => {
    const res = await run(['nlu', 'eval', '--bogus']);
    expect(res.code).not.toBe(0);
    expect(res.stderr.length).toBeGreaterThan(0);
  });

  it('boxes the first-start credentials', () => {
    expect(credentialsBox('a@b.c', 'pw-123', 'http://localhost:3000')).toContain('pw-123');
  });
});

describe.each(testBackends)('zhike audit verify on %s', (backend) => {
  it('exits 1 when the newest audit rows were deleted', async () => {
    const tdb = await createTestDatabase(backend);
    try {
      const db = openDatabase({ url: tdb.url, newId: createIdGenerator(systemClock) });
      try {
        await db.migrate();
        for (let i = 0; i < 3; i++)
          await db.audit.record({
            workspaceId: null,
            actor: { type: 'system', id: 'test' },
            action: 'settings.changed',
            details: {},
          });
      } finally {
        await db.close();
      }
      const env = { DATABASE_URL: tdb.url, ZHIKE_DATA_DIR: mkdtempSync(join(tmpdir(), 'zhike-cli-')) };
      const intact = await run(['audit', 'verify'], env);
      expect(intact.code).toBe(0);
      expect(intact.stdout).toContain('3 entries');
      await deleteNewestAuditRows(tdb.url, 1);
      const broken = await run(['audit', 'verify'], env);
      expect(broken.code).toBe(1);
      expect(broken.stderr).toContain('BROKEN at seq 3');
      expect(broken.stderr).toContain('[tail_missing]');
    } finally {
      await tdb.drop();
    }
  });
});
