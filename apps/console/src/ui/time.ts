// dayjs with the relative-time plugin; the locale is passed per call, never set globally.
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import relativeTime from 'dayjs/plugin/relativeTime';
import { useEffect, useState } from 'react';
import type { UiLocale } from '../i18n/catalogue.ts';

dayjs.extend(relativeTime);

const dayjsLocale = (locale: UiLocale) => (locale === 'zh-CN' ? 'zh-cn' : 'en');

export function timeAgo(iso: string, now: number, locale: UiLocale): string {
  const at = dayjs(iso);
  // The ticking clock lags and the server's clock may run ahead: never show "in a few seconds".
  return at.locale(dayjsLocale(locale)).from(Math.max(now, at.valueOf()));
}

export function formatDateTime(iso: string, locale: UiLocale): string {
  return dayjs(iso)
    .locale(dayjsLocale(locale))
    .format(locale === 'zh-CN' ? 'YYYY年M月D日 HH:mm' : 'MMM D, YYYY HH:mm');
}

/** Message timestamps: time only for today, date and time otherwise. */
export function formatMessageTime(iso: string, now: number, locale: UiLocale): string {
  const d = dayjs(iso).locale(dayjsLocale(locale));
  if (d.isSame(now, 'day')) return d.format('HH:mm');
  return d.format(locale === 'zh-CN' ? 'M月D日 HH:mm' : 'MMM D HH:mm');
}

/** A clock that ticks every `intervalMs`, so "3 minutes ago" stays true without a reload. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
