// The weekly review printed to PDF by headless Chromium (ZHIKE_CHROMIUM_PATH): the page is self-contained,
// so the browser loads nothing and runs no script. One browser per app, started on the first print, kept
// for the prints that follow (a review is often printed a few times at once: the owners' mails, a
// download) and closed after a minute unused or when the app stops; prints take turns in it.
import { type Browser, chromium } from 'playwright-core';

export class PdfUnavailable extends Error {
  constructor() {
    super('PDF printing needs Chromium: install it or set ZHIKE_CHROMIUM_PATH');
    this.name = 'PdfUnavailable';
  }
}

export interface PdfPrinter {
  print(html: string): Promise<Buffer>;
  close(): Promise<void>;
}

export function createPdfPrinter(chromiumPath: string | null, options: { idleMs?: number } = {}): PdfPrinter {
  const idleMs = options.idleMs ?? 60_000;
  let browser: Promise<Browser> | null = null;
  let idle: NodeJS.Timeout | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  const shutBrowser = async () => {
    const open = browser;
    browser = null;
    if (open) await (await open.catch(() => null))?.close().catch(() => {});
  };
  const launch = () =>
    chromium.launch({
      executablePath: chromiumPath ?? undefined,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });

  return {
    print(html) {
      if (!chromiumPath) return Promise.reject(new PdfUnavailable());
      if (closed) return Promise.reject(new Error('the app is stopping'));
      const run = queue.then(async () => {
        if (idle) clearTimeout(idle);
        idle = null;
        browser ??= launch();
        // A browser that died (killed, crashed) is replaced on the next print.
        const current = await browser.catch((error: unknown) => {
          browser = null;
          throw error;
        });
        const context = await current
          .newContext({ javaScriptEnabled: false })
          .catch(async (error: unknown) => {
            await shutBrowser();
            throw error;
          });
        try {
          const page = await context.newPage();
          // Nothing may be fetched: the page carries its charts inline.
          await page.route('**/*', (route) => route.abort());
          await page.setContent(html, { waitUntil: 'load' });
          return await page.pdf({
            format: 'A4',
            printBackground: true,
            margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' },
          });
        } finally {
          await context.close().catch(() => {});
          if (!closed) {
            idle = setTimeout(() => void shutBrowser(), idleMs);
            idle.unref();
          }
        }
      });
      queue = run.catch(() => {});
      return run;
    },
    async close() {
      closed = true;
      if (idle) clearTimeout(idle);
      idle = null;
      await queue;
      await shutBrowser();
    },
  };
}
