// Replies carry the whole earlier conversation below a separator ("On … wrote:", "-----原始邮件-----",
// Outlook's From/Sent block, "> " lines). The conversation already has those messages, so only the new
// part is kept, and only where the separator is unambiguous: when in doubt the whole text stays.

const ORIGINAL_BANNER =
  /^[-_=\s]{2,}\s*(original message|forwarded message|原始邮件|原邮件|转发邮件|转发的邮件)\s*[-_=\s]{2,}$/i;
// "On Tue, 3 Jun 2025 at 10:01, Li Lei <li@example.com> wrote:" / "在 2025年6月3日 10:01，李雷 写道："
const ATTRIBUTION = /^(on\s.{4,200}\swrote|在\s?.{2,200}\s?写道|.{2,200}于\s?.{2,200}写道)\s*[:：]\s*$/i;
const HEADER_FROM = /^\*?(from|发件人)\s*\*?\s*[:：]/i;
const HEADER_NEXT = /^\*?(sent|date|to|subject|发送时间|日期|收件人|主题|时间)\s*\*?\s*[:：]/i;

function separatorAt(lines: string[], i: number): boolean {
  const line = lines[i]!.trim();
  if (ORIGINAL_BANNER.test(line)) return true;
  if (ATTRIBUTION.test(line)) return true;
  // Gmail wraps a long attribution over two lines.
  const next = lines[i + 1]?.trim() ?? '';
  if (/^on\s/i.test(line) && /wrote\s*:\s*$/i.test(next) && line.length + next.length < 300) return true;
  // Outlook/Foxmail: "From: …" directly followed by "Sent:"/"Date:"/"To:" lines.
  if (HEADER_FROM.test(line)) {
    const following = lines.slice(i + 1, i + 4).map((l) => l.trim());
    return following.filter((l) => HEADER_NEXT.test(l)).length >= 2;
  }
  return false;
}

/** The text above the quoted history; the whole text when no reliable separator is found. */
export function stripQuotedHistory(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let cut = -1;
  for (let i = 0; i < lines.length; i++)
    if (separatorAt(lines, i)) {
      cut = i;
      break;
    }
  if (cut < 0) {
    // A trailing block of "> " lines (with blank lines between) is a quote without an attribution.
    let start = lines.length;
    for (let i = lines.length - 1; i >= 0; i--) {
      const l = lines[i]!.trim();
      if (l.startsWith('>')) start = i;
      else if (l !== '') break;
    }
    if (start < lines.length) cut = start;
  }
  if (cut < 0) return text.trim();
  const kept = lines.slice(0, cut).join('\n').trim();
  // A forwarded mail with nothing written above it: the quote is the message.
  return kept.length > 0 ? kept : text.trim();
}
