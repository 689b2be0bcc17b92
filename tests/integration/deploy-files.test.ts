// The deployment files, checked by the tools' own validators where this machine has them (no container
// engine runs here, so the image is not built): `docker-compose config` resolves the compose file with
// the example settings, `nginx -t` runs inside scale-out.test.ts on the same proxy config, and the
// Dockerfile's runtime stage copies only what the build stage really produces.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDataDir } from '../support/serverProcess.ts';

const root = new URL('../../', import.meta.url).pathname;

describe('deployment files', () => {
  it('resolves docker-compose.yml with the example settings (docker-compose config)', () => {
    const dir = tempDataDir('zhike-compose-');
    copyFileSync(join(root, 'docker-compose.yml'), join(dir, 'docker-compose.yml'));
    copyFileSync(join(root, 'deploy/env.example'), join(dir, '.env'));
    mkdirSync(join(dir, 'deploy/nginx'), { recursive: true });
    const resolved = execFileSync('docker-compose', ['config'], { cwd: dir, encoding: 'utf8' });
    // Two server processes built from this repository, sharing PostgreSQL, Redis and the data volume.
    for (const name of ['zhike-1', 'zhike-2']) {
      const block = resolved.split(/\n {2}(?=\S)/).find((b) => b.startsWith(`${name}:`)) ?? '';
      expect(block, name).toMatch(/DATABASE_URL: postgres:\/\/zhike:.+@postgres:5432\/zhike/);
      expect(block, name).toMatch(/REDIS_URL: redis:\/\/redis:6379/);
      expect(block, name).toMatch(/ZHIKE_TRUST_PROXY: '1'|ZHIKE_TRUST_PROXY: "1"/);
      expect(block, name).toMatch(/condition: service_healthy/);
      expect(block, name).toMatch(/zhike-data:\/data/);
    }
    expect(resolved).toMatch(/proxy:[\s\S]*443/);
    // Without the secret the file refuses to resolve rather than start a database with no password.
    const withoutPassword = tempDataDir('zhike-compose-');
    copyFileSync(join(root, 'docker-compose.yml'), join(withoutPassword, 'docker-compose.yml'));
    expect(() =>
      execFileSync('docker-compose', ['config'], {
        cwd: withoutPassword,
        stdio: 'pipe',
        env: { PATH: process.env.PATH },
      }),
    ).toThrow(/POSTGRES_PASSWORD/);
  });

  it('copies into the image only what the build stage produces, and runs it unprivileged', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim AS build$/m);
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim AS runtime$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    const copied = [...dockerfile.matchAll(/^COPY --from=build \/src\/(\S+) /gm)].map((m) => m[1]!);
    expect(copied.length).toBeGreaterThan(8);
    // What `npm ci` and `node scripts/build.mjs` leave in a checkout (this one has been built).
    for (const path of copied) expect(existsSync(join(root, path)), path).toBe(true);
    // The entry point runs the bundle when no sources are shipped.
    expect(copied).toContain('apps/server/dist');
    expect(dockerfile).toMatch(/ENTRYPOINT \["node", "apps\/cli\/bin\/zhike\.mjs"\]/);
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8');
    for (const secret of ['data', '.env', '**/node_modules']) expect(ignored.split('\n')).toContain(secret);
  });
});
