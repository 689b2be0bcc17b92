// The weekly review on a simulated fortnight of the demo shop: the page holds the week's KPIs against
// their targets with last week's beside them, its charts drawn inline (no script, nothing fetched), the
// topics, QA and unanswered questions, and suggested actions; the PDF prints through Chromium, and a page
// rasterised from it (poppler's pdftoppm) is the README's picture.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHistory, simulatedClock } from './demo/history.ts';
import { suggestActions, weekOf } from './reviews/weeklyReview.ts';
import { createTestApp, type TestApp, type TestSession } from './testing.ts';

const END = Date.parse('2026-06-08T16:00:00.000Z'); // Tuesday 9 June, midnight in Shanghai
const repoRoot = new URL('../../../', import.meta.url).pathname;

describe('the weekly review', () => {
  let t: TestApp;
  let owner: TestSession;
  const clock = simulatedClock(END - 14 * 86_400_000);

  beforeAll(async () => {
    t = await createTestApp('sqlite', { clock, startWorker: false });
    await generateHistory(t.app.zhike, clock, {
      workspaceId: await t.demoWorkspaceId(),
      days: 14,
      perDay: 6,
      end: new Date(END),
      seed: 3,
    });
    owner = await t.login();
  }, 120_000);
  afterAll(async () => t?.close());

  it('picks the last full week, Monday to Sunday in the zone', () => {
    expect(weekOf(new Date(END), 'Asia/Shanghai')).toEqual({ from: '2026-06-01', to: '2026-06-07' });
    expect(weekOf(new Date(END), 'UTC')).toEqual({ from: '2026-06-01', to: '2026-06-07' });
    expect(weekOf(new Date(END), 'Asia/Shanghai', '2026-05-25')).toEqual({
      from: '2026-05-25',
      to: '2026-05-31',
    });
    expect(() => weekOf(new Date(END), 'Asia/Shanghai', '2026-05-26')).toThrow(RangeError);
  });

  it('renders the week as a self-contained page in the shop’s language', async () => {
    const res = await t.app.inject({ url: '/api/v1/reviews/weekly', headers: { cookie: owner.cookie } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    const html = res.body;
    expect(html).toContain('每周复盘');
    expect(html).toContain('2026-06-01 至 2026-06-07');
    for (const heading of [
      '核心指标与目标',
      '高频问题',
      '客户情绪',
      '智能质检',
      '机器人未能回答的问题',
      '建议行动',
    ])
      expect(html).toContain(heading);
    expect(html).toContain('首次解决率');
    // The brief's throughput target is reviewed too; assist has been on from the start here.
    expect(html).toContain('坐席效率：智能辅助自始开启');
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(2);
    expect(html).not.toMatch(/<script|src="http|href="http/);
    const english = await t.app.inject({
      url: '/api/v1/reviews/weekly?locale=en-US&from=2026-05-25',
      headers: { cookie: owner.cookie },
    });
    expect(english.body).toContain('Weekly review');
    expect(english.body).toContain('2026-05-25 to 2026-05-31');
    for (const query of ['from=2026-06-02', 'from=yesterday', 'locale=fr', 'week=1']) {
      const bad = await t.app.inject({
        url: `/api/v1/reviews/weekly?${query}`,
        headers: { cookie: owner.cookie },
      });
      expect(bad.statusCode, query).toBe(400);
    }
    expect((await t.app.inject({ url: '/api/v1/reviews/weekly' })).statusCode).toBe(401);
  });

  it('suggests actions that follow from the numbers', () => {
    const base = {
      topics: { topics: [{ key: 'k1', label: '物流 · 慢' }], rising: ['k1'] },
      kpis: [
        { key: 'humanResponseSeconds', value: 48, status: 'missed' },
        { key: 'botFallbackRate', value: 0.3, status: 'missed' },
        { key: 'csat', value: 4.5, status: 'met' },
      ],
      unanswered: [{ question: '能寄到国外吗', count: 4 }],
      quality: { topRules: [{ ruleId: 'greeting', count: 3 }], ruleNames: { greeting: '开场问候' } },
    } as unknown as Parameters<typeof suggestActions>[0];
    expect(suggestActions(base)).toEqual([
      { kind: 'faq_for_topic', subject: '物流 · 慢' },
      { kind: 'faq_for_question', subject: '能寄到国外吗' },
      { kind: 'staffing', subject: '48.0' },
      { kind: 'coaching', subject: '开场问候' },
    ]);
  });

  it('prints the PDF with its charts, and a rasterised page shows them', async () => {
    expect(t.config.chromiumPath, 'Chromium is needed to print PDFs').not.toBeNull();
    const res = await t.app.inject({ url: '/api/v1/reviews/weekly.pdf', headers: { cookie: owner.cookie } });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = mkdtempSync(join(tmpdir(), 'zhike-review-'));
    const pdf = join(dir, 'review.pdf');
    writeFileSync(pdf, res.rawPayload);
    // The Chinese text is real text in the PDF (a CJK font was embedded), not missing glyphs.
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('每周复盘');
    expect(text).toContain('首次解决率');
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '80',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      pdf,
      join(dir, 'page'),
    ]);
    const png = readFileSync(join(dir, 'page.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // An A4 page at 80 dpi, with far more than blank paper on it.
    expect(png.readUInt32BE(16)).toBeGreaterThan(600);
    expect(statSync(join(dir, 'page.png')).size).toBeGreaterThan(30_000);
    writeFileSync(join(repoRoot, 'docs/screenshots/weekly-review.png'), png);
  }, 60_000);
});
