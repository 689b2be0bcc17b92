// A reply longer than one provider message (an SMS segment budget, WeChat's customer-service limit) goes
// out as several, cut where a reader would pause: a paragraph, a line, a sentence end, a space.
const BREAKS = [/\n\n/g, /\n/g, /[。！？.!?；;]\s*/g, /[，,、]\s*/g, /\s+/g];

/** Parts of at most `max` characters (code points), in order; an empty text is one empty part. */
export function splitText(text: string, max: number): string[] {
  if (max < 1) throw new Error('max must be at least 1');
  const parts: string[] = [];
  let rest = text.trim();
  while ([...rest].length > max) {
    const window = [...rest].slice(0, max).join('');
    let cut = -1;
    for (const pattern of BREAKS) {
      let last = -1;
      for (const m of window.matchAll(pattern)) {
        const end = (m.index ?? 0) + m[0].length;
        // A break in the first third would leave a stub part; look for a later kind of break instead.
        if (end > window.length / 3 && end <= window.length) last = end;
      }
      if (last > 0) {
        cut = last;
        break;
      }
    }
    if (cut <= 0) cut = window.length;
    parts.push(window.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  parts.push(rest);
  return parts.filter((p, i) => p.length > 0 || i === 0);
}
