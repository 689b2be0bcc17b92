// Two-step sign-in in real Chromium: the owner turns TOTP on in 账号安全 (QR + key, code computed here
// from the key as an authenticator app would), then signs in again with password and code; a wrong
// code is refused. Then the owner verifies the audit chain in 审计日志. Saves docs/screenshots/security-2fa.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { base32Decode, totp } from '@zhike/security';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { signIn } from '../support/pages.ts';
import {
  ADMIN,
  freePort,
  repoRoot,
  type ServerProcess,
  serverEnv,
  startServer,
  tempDataDir,
} from '../support/serverProcess.ts';

const shots = join(repoRoot, 'docs/screenshots');
let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startServer(serverEnv({ dataDir: tempDataDir(), port: await freePort() }));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const codeFor = (secret: string) => totp(base32Decode(secret), new Date());

/** A code from the next 30-second step: the one the enrolment used is spent (replay protection). */
async function nextStepCode(secret: string): Promise<string> {
  const msIntoStep = Date.now() % 30_000;
  await new Promise((resolve) => setTimeout(resolve, 30_000 - msIntoStep + 500));
  return codeFor(secret);
}

async function signInWithPassword(page: Page) {
  await signIn(page, server.url);
}

it('turns on TOTP, then signs in with password and a code computed from the key', async () => {
  const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  await signInWithPassword(page);
  await page.getByTestId('user-menu').waitFor({ timeout: 15_000 });

  await page.goto(`${server.url}/#/settings/security`);
  await page.getByTestId('two-factor-enable').click();
  await page.getByTestId('two-factor-qr').waitFor();
  const secret = (await page.getByTestId('two-factor-secret').innerText()).trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByTestId('two-factor-code').fill(codeFor(secret));
  await page.screenshot({ path: join(shots, 'security-2fa.png') });
  await page.getByTestId('two-factor-confirm').click();
  const codes = (await page.getByTestId('recovery-codes').innerText()).trim().split('\n');
  expect(codes).toHaveLength(8);
  await page.getByTestId('recovery-codes-saved').click();
  // The session list shows this browser, its address masked.
  await expect.poll(() => page.getByTestId('sessions-card').innerText()).toContain('127.0.*.*');

  // A fresh browser: the password alone leads to the code step, not into the console.
  const second = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
  const login = await second.newPage();
  await signInWithPassword(login);
  await login.getByTestId('login-code').waitFor();
  expect(await login.getByTestId('user-menu').count()).toBe(0);
  expect((await second.cookies()).some((c) => c.name.includes('session'))).toBe(false);

  const right = await nextStepCode(secret);
  await login.getByTestId('login-code').fill(right === '000000' ? '111111' : '000000');
  await login.getByTestId('login-code-submit').click();
  await expect.poll(() => login.locator('.ant-message').innerText()).toMatch(/验证码|code/i);
  expect(await login.getByTestId('user-menu').count()).toBe(0);

  await login.getByTestId('login-code').fill(right);
  await login.getByTestId('login-code-submit').click();
  await login.getByTestId('user-menu').waitFor({ timeout: 15_000 });

  // The owner's audit log has it all, and the chain verifies.
  await login.goto(`${server.url}/#/settings/audit`);
  await expect.poll(() => login.getByTestId('audit-table').innerText()).toContain('auth.totp_enabled');
  await login.getByTestId('audit-verify').click();
  await expect.poll(() => login.getByTestId('audit-verification').innerText()).toMatch(/哈希链完整/);

  // Signing out everywhere else from here sends the first browser back to the sign-in page at once
  // (its console socket is closed by the server), without it doing anything.
  await login.goto(`${server.url}/#/settings/security`);
  await login.getByTestId('sessions-revoke-others').click();
  await page.getByTestId('login-email').waitFor({ timeout: 10_000 });
  await second.close();
  await ctx.close();
});
