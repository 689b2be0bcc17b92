// `zhike workspace create` on both backends: the new owner can sign in to an unset workspace (the wizard
// opens), the generated password is printed once, and taken slugs or emails are refused.
import { Writable } from 'node:stream';
import { SESSION_COOKIE, type SessionInfo, type SetupStatus } from '@zhike/contracts';
import { createTestDatabase, testBackends } from '@zhike/db';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../server/src/testing.ts';
import { main } from './main.ts';

const MASTER_KEY = Buffer.alloc(32, 'zhike-test-master-key').toString('base64');

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

describe.each(testBackends)('zhike workspace create on %s', (backend) => {
  it('creates a shop whose owner signs in to the setup wizard', async () => {
    const database = await createTestDatabase(backend);
    const env = {
      LOG_LEVEL: 'silent',
      DATABASE_URL: database.url,
      ZHIKE_MASTER_KEY: MASTER_KEY,
      ZHIKE_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    };
    const run = async (argv: string[]) => {
      const out = capture();
      const err = capture();
      const code = await main(argv, { stdout: out.stream, stderr: err.stream, env });
      return { code, stdout: out.text(), stderr: err.text() };
    };
    try {
      const args = [
        'workspace',
        'create',
        '--name',
        '小林诊所',
        '--slug',
        'xiaolin',
        '--owner-email',
        'Lin@Clinic.test',
      ];
      const created = await run(args);
      expect(created.stderr).toBe('');
      expect(created.code).toBe(0);
      const password = created.stdout.trim().split('\n').at(-1) ?? '';
      expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);

      expect((await run(args)).code).toBe(1); // slug taken
      const sameEmail = await run([
        'workspace',
        'create',
        '--name',
        'B',
        '--slug',
        'other',
        '--owner-email',
        'lin@clinic.test',
      ]);
      expect(sameEmail.code).toBe(1);
      expect(sameEmail.stderr).toContain('already has an account');
      expect(
        (
          await run([
            'workspace',
            'create',
            '--name',
            'C',
            '--slug',
            'Bad Slug!',
            '--owner-email',
            'c@c.test',
          ])
        ).code,
      ).toBe(2);
      expect((await run(['workspace', 'create', '--name', 'D'])).code).toBe(2);
      const short = await run([
        'workspace',
        'create',
        '--name',
        'E',
        '--slug',
        'eee',
        '--owner-email',
        'e@e.test',
        '--owner-password',
        'short',
      ]);
      expect(short.code).toBe(2);

      const t = await createTestApp(backend, { database, startWorker: false });
      try {
        const login = await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: 'lin@clinic.test', password },
        });
        expect(login.statusCode).toBe(200);
        const info = login.json() as SessionInfo;
        expect(info.workspace).toMatchObject({ slug: 'xiaolin', name: '小林诊所', locale: 'zh-CN' });
        expect(info.user.role).toBe('owner');
        expect(info.permissions).toContain('bot.manage');
        const cookie = login.cookies.find((c) => c.name === SESSION_COOKIE)?.value ?? '';
        const status = await t.app.inject({
          url: '/api/v1/setup',
          headers: { cookie: `${SESSION_COOKIE}=${cookie}` },
        });
        expect((status.json() as SetupStatus).completed).toBe(false);
        const inboxes = await t.app.zhike.db.forWorkspace(info.workspace.id).inboxes.list();
        expect(inboxes.map((i) => i.channel).sort()).toEqual(['api', 'widget']);
      } finally {
        await t.close();
      }
    } finally {
      await database.drop();
    }
  });
});
