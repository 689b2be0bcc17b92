// Display masks for personal data shown to roles without the reveal permission (Chinese and Latin text).

const stars = (n: number) => '*'.repeat(Math.max(0, n));
const chars = (s: string) => [...s];

/** 13812345678 → 138****5678; +86 138 1234 5678 → +86 138****5678; short numbers keep the last 2 digits. */
export function maskPhone(value: string): string {
  const trimmed = value.trim();
  const m = /^(\+\d{1,3}[\s-]?)?(.*)$/.exec(trimmed)!;
  const country = m[1] ?? '';
  const digits = (m[2] ?? '').replace(/\D/g, '');
  if (digits.length === 0) return stars(chars(trimmed).length);
  if (digits.length >= 11)
    return `${country}${digits.slice(0, 3)}${stars(digits.length - 7)}${digits.slice(-4)}`;
  if (digits.length >= 7)
    return `${country}${digits.slice(0, 2)}${stars(digits.length - 6)}${digits.slice(-4)}`;
  return `${country}${stars(digits.length - 2)}${digits.slice(-2)}`;
}

/** zhangsan@example.com → z*******@example.com; the domain stays (it is rarely personal, often useful). */
export function maskEmail(value: string): string {
  const trimmed = value.trim();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0) return maskName(trimmed);
  const local = chars(trimmed.slice(0, at));
  const shown = local.length > 2 ? 1 : 0;
  return `${local.slice(0, shown).join('')}${stars(Math.max(3, local.length - shown))}${trimmed.slice(at)}`;
}

const HAN = /\p{Script=Han}/u;

/** 张三丰 → 张**, 张三 → 张*; John Smith → J*** S****: the first character of each word stays. */
export function maskName(value: string): string {
  const trimmed = value.trim();
  const c = chars(trimmed);
  if (c.length === 0) return '';
  if (HAN.test(c[0]!)) return `${c[0]}${stars(c.length - 1 || 1)}`;
  return trimmed
    .split(/(\s+)/)
    .map((part) =>
      /^\s+$/.test(part) || part === '' ? part : `${chars(part)[0]}${stars(chars(part).length - 1)}`,
    )
    .join('');
}

// Administrative levels a Chinese address starts with; everything after the district level is masked.
const CN_ADMIN = /^(.*?(?:省|自治区|特别行政区))?(.*?(?:市|自治州|地区|盟))?(.*?(?:区|县|旗))?/u;

/**
 * 北京市朝阳区建国路88号 → 北京市朝阳区******; 221B Baker Street, London → **** ***** ******, London.
 * Region names stay (useful for routing and delivery questions); street, number and building do not.
 */
export function maskAddress(value: string): string {
  const trimmed = value.trim();
  if (HAN.test(trimmed)) {
    const kept = CN_ADMIN.exec(trimmed)?.[0] ?? '';
    if (kept === trimmed) return trimmed; // only region names, nothing that locates a person
    return `${kept}${stars(Math.min(8, chars(trimmed).length - chars(kept).length))}`;
  }
  const parts = trimmed.split(',');
  if (parts.length === 1) return trimmed.replace(/[^\s]/g, '*');
  const tail = parts.slice(1).join(',');
  return `${parts[0]!.replace(/[^\s]/g, '*')},${tail}`;
}
