import { describe, expect, it } from 'vitest';
import { htmlToText, sanitizeEmailHtml } from './sanitize.ts';

describe('sanitizeEmailHtml', () => {
  it('removes scripts, styles, event handlers and javascript: URLs', () => {
    const dirty = `<style>body{display:none}</style><p onclick="steal()">Hi <b>there</b></p>
      <script>alert(1)</script><img src="x" onerror="alert(2)"><a href="javascript:alert(3)">click</a>
      <a href="JaVaScRiPt&colon;alert(4)">again</a><iframe src="https://evil.example"></iframe>
      <form action="https://evil.example"><input name="p"></form><svg><script>alert(5)</script></svg>
      <div style="background:url(https://tracker.example/p.gif)">styled</div>`;
    const clean = sanitizeEmailHtml(dirty);
    expect(clean).not.toMatch(
      /script|onerror|onclick|javascript|alert|iframe|<form|<input|<svg|<style|style=|tracker|<img/i,
    );
    expect(clean).toContain('<b>there</b>');
    expect(clean).toContain('styled');
  });

  it('keeps safe links, opened outside without referrer', () => {
    const clean = sanitizeEmailHtml(
      '<a href="https://shop.example/order/1">order</a> <a href="mailto:a@b.example">mail</a>',
    );
    expect(clean).toContain('href="https://shop.example/order/1"');
    expect(clean).toContain('rel="noopener noreferrer nofollow"');
    expect(clean).toContain('target="_blank"');
    expect(clean).toContain('href="mailto:a@b.example"');
  });

  it('drops remote images (read trackers) and keeps embedded ones', () => {
    const embedded = 'data:image/png;base64,iVBORw0KGgo=';
    const clean = sanitizeEmailHtml(
      `<img src="https://tracker.example/open.gif"><img src="${embedded}" alt="logo">`,
    );
    expect(clean).not.toContain('tracker');
    expect(clean).toContain(embedded);
  });
});

describe('htmlToText', () => {
  it('reads the text without the quoted earlier mail', () => {
    const html =
      '<div>Where is my parcel?</div><div class="gmail_quote">On Mon someone wrote:<blockquote>old text</blockquote></div>';
    expect(htmlToText(html, { dropQuotes: true })).toBe('Where is my parcel?');
    expect(htmlToText(html, { dropQuotes: false })).toContain('old text');
  });

  it('keeps the quote when it is all there is', () => {
    expect(htmlToText('<blockquote>only this</blockquote>', { dropQuotes: true })).toContain('only this');
  });
});
