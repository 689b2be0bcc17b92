// Debian's Chromium, headless, with the flags that keep it off this machine's closed network.
import { type Browser, chromium } from 'playwright-core';

/** `extraArgs`: e.g. the fake microphone flags of the voice tests. */
export function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}
