// Steps the browser tests share: signing in to the console, and asking the bot through the widget.
import type { Locator, Page } from 'playwright-core';
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

/**
 * Picks `option` in the Ant Design select with `testId`, and checks the select shows it. On a busy machine
 * a click can land while the dropdown is still animating in and choose nothing, so it tries again until
 * the choice shows or `timeoutMs` passes.
 */
export async function chooseOption(page: Page, testId: string, option: string | RegExp, timeoutMs = 30_000) {
  const select = page.getByTestId(testId);
  // The select's own text is the chosen option's label (or the placeholder).
  const matches = (text: string | null) =>
    text !== null && (typeof option === 'string' ? text.includes(option) : option.test(text));
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').last();
    if (!(await dropdown.isVisible())) await select.click();
    try {
      await dropdown
        .locator('.ant-select-item-option')
        .filter({ hasText: option })
        .first()
        .click({ timeout: 5_000 });
      for (let wait = 0; wait < 20 && !matches(await select.textContent({ timeout: 5_000 })); wait++)
        await page.waitForTimeout(100);
      if (matches(await select.textContent({ timeout: 5_000 }))) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline)
      throw new Error(`${testId}: "${String(option)}" did not stay chosen after ${attempt} tries`);
  }
}

/**
 * Clicks `target` until `done()` holds. On a busy machine a click can land while a modal is still
 * animating in or out and do nothing; it is clicked again (only while still visible, so a click that
 * did land is never repeated after its effect removed the target) until `done()` or `timeoutMs`.
 */
export async function clickUntil(
  target: Locator,
  done: () => Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    if (await target.isVisible()) await target.click({ timeout: 5_000 }).catch(() => undefined);
    for (let wait = 0; wait < 30; wait++) {
      if (await done()) return;
      await target.page().waitForTimeout(100);
    }
    if (Date.now() > deadline) throw new Error(`${what}: not done after ${attempt} clicks`);
  }
}
