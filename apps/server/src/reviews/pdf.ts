// The weekly review printed to PDF by headless Chromium (ZHIKE_CHROMIUM_PATH): the page is self-contained,
// so the browser loads nothing and runs no script. One browser at a time per process; it is closed after
// each print (a review is printed a few times a week).
import { chromium } from 'playwright-core';

export class PdfUnavailable extends Error {
  constructor() {
    super('PDF printing needs Chromium: install it or set ZHIKE_CHROMIUM_PATH');
    this.name = 'PdfUnavailable';
  }
}

let queue: Promise<unknown> = Promise.resolve();

export function printPdf(html: string, chromiumPath: string | null): Promise<Buffer> {
  if (!chromiumPath) return Promise.reject(new PdfUnavailable());
  const run = queue.then(async () => {
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage({ javaScriptEnabled: false });
      // Nothing may be fetched: the page carries its charts inline.
      await page.route('**/*', (route) => route.abort());
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({
        format: 'A4',
        printBackground: true,
        margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' },
      });
    } finally {
      await browser.close();
    }
  });
  queue = run.catch(() => {});
  return run;
}
