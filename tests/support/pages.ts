// Steps the browser tests share: signing in to the console, and asking the bot through the widget.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { ADMIN } from './serverProcess.ts';

/** Opens the console and submits the sign-in form; the caller waits for whatever page it expects next. */
export async function signIn(page: Page, url: string, who: { email: string; password: string } = ADMIN) {
  await page.goto(url);
  await page.getByTestId('login-email').fill(who.email);
  await page.getByTestId('login-password').fill(who.password);
  await page.getByTestId('login-submit').click();
}

/** Sends `text` in the widget on `page` and waits until a bot message after it contains `expected`. */
export async function botSays(page: Page, text: string, expected: string, timeoutMs = 30_000) {
  const widget = (hook: string) => page.locator(`[data-zhike="${hook}"]`);
  const messages = page.locator('[data-zhike="message"]');
  const before = await messages.count();
  await widget('input').fill(text);
  await widget('send').click();
  await expect
    .poll(
      async () =>
        (
          await messages.evaluateAll((nodes) =>
            nodes.map((n) => ({ author: n.getAttribute('data-author'), text: n.textContent ?? '' })),
          )
        )
          .slice(before)
          .filter((m) => m.author === 'bot')
          .map((m) => m.text),
      { timeout: timeoutMs },
    )
    .toContainEqual(expect.stringContaining(expected));
}
