// The mobile survey page a survey's link opens: plain HTML and CSS, no script (it works under the strict
// page CSP and on any phone browser), a form posting back to the same address. On a phone the five scores
// are a list of full-width rows, so every label reads whole (非常不满意, "Very dissatisfied") and each
// row is a thumb-sized target; wider screens get the row of five cards.
import type { Locale } from '@zhike/core';
import { surveyPageMessages } from './pageMessages.ts';

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font-family:-apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;background:#f5f7fb;color:#1f2329}
main{max-width:480px;margin:0 auto;padding:24px 16px 40px}
.card{background:#fff;border-radius:16px;padding:24px 20px;box-shadow:0 2px 12px rgba(31,35,41,.08)}
.shop{font-size:14px;color:#646a73;margin:0 0 8px}
h1{font-size:20px;line-height:1.4;margin:0 0 20px}
fieldset{border:0;margin:0 0 20px;padding:0}
legend{font-size:13px;color:#8f959e;margin-bottom:12px;padding:0}
.scores{display:grid;grid-template-columns:repeat(5,1fr);gap:8px}
.scores input{position:absolute;opacity:0;pointer-events:none}
.scores label{display:flex;flex-direction:column;align-items:center;gap:6px;padding:12px 2px;border:1.5px solid #dee0e3;border-radius:12px;font-size:12px;color:#646a73;text-align:center;cursor:pointer;min-height:88px;touch-action:manipulation}
.scores label b{font-size:24px;color:#1f2329}
.scores input:checked+label{border-color:#1664ff;background:#eef4ff;color:#1664ff}
.scores input:checked+label b{color:#1664ff}
.scores input:focus-visible+label{outline:2px solid #1664ff;outline-offset:2px}
label.comment{display:block;font-size:14px;margin-bottom:8px}
textarea{display:block;width:100%;min-height:96px;padding:10px 12px;border:1.5px solid #dee0e3;border-radius:12px;font:inherit;font-size:16px;resize:vertical}
textarea:focus{outline:none;border-color:#1664ff;box-shadow:0 0 0 3px rgba(22,100,255,.15)}
button{width:100%;min-height:48px;margin-top:20px;padding:14px;border:0;border-radius:12px;background:#1664ff;color:#fff;font:inherit;font-size:16px;font-weight:600;touch-action:manipulation}
.error{color:#d83931;font-size:14px;margin:0 0 12px}
.done{text-align:center}
.done .mark{font-size:48px;margin-bottom:8px}
.done p{color:#646a73;line-height:1.6}
@media (max-width:480px){
main{padding:16px 12px 32px}
.card{padding:20px 16px}
.scores{grid-template-columns:1fr}
.scores label{flex-direction:row;gap:14px;min-height:52px;padding:10px 16px;font-size:16px;text-align:left}
.scores label b{font-size:20px;min-width:1.25em;text-align:center}
}
`;

function layout(locale: Locale, title: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

export function surveyFormPage(input: {
  locale: Locale;
  shop: string;
  action: string;
  error?: string | null;
  comment?: string;
}): string {
  const t = surveyPageMessages[input.locale];
  const options = t.scores
    .map((label, i) => {
      const score = i + 1;
      return `<input type="radio" id="score-${score}" name="score" value="${score}" required><label for="score-${score}"><b>${score}</b>${escapeHtml(label)}</label>`;
    })
    .join('');
  return layout(
    input.locale,
    t.title,
    `<div class="card">
<p class="shop">${escapeHtml(input.shop)}</p>
<h1>${escapeHtml(t.question(input.shop))}</h1>
${input.error ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>` : ''}
<form method="post" action="${escapeHtml(input.action)}">
<fieldset><legend>${escapeHtml(t.scoreLegend)}</legend><div class="scores">${options}</div></fieldset>
<label class="comment" for="comment">${escapeHtml(t.comment)}</label>
<textarea id="comment" name="comment" maxlength="1000" placeholder="${escapeHtml(t.commentPlaceholder)}">${escapeHtml(input.comment ?? '')}</textarea>
<button type="submit">${escapeHtml(t.submit)}</button>
</form>
</div>`,
  );
}

export function surveyDonePage(input: {
  locale: Locale;
  shop: string;
  state: 'answered' | 'expired' | 'not_found';
  score?: number | null;
}): string {
  const t = surveyPageMessages[input.locale];
  if (input.state === 'answered') {
    const low = input.score !== null && input.score !== undefined && input.score <= 2;
    return layout(
      input.locale,
      t.title,
      `<div class="card done"><div class="mark">✓</div><h1>${escapeHtml(t.thanks)}</h1>
${input.score ? `<p>${escapeHtml(t.yourScore(input.score))}</p>` : ''}
<p>${escapeHtml(low ? t.sorry : t.thanksBody)}</p>
<p class="shop">${escapeHtml(input.shop)}</p></div>`,
    );
  }
  const [title, body] = input.state === 'expired' ? [t.expired, t.expiredBody] : [t.notFound, ''];
  return layout(
    input.locale,
    title,
    `<div class="card done"><h1>${escapeHtml(title)}</h1>${body ? `<p>${escapeHtml(body)}</p>` : ''}</div>`,
  );
}
