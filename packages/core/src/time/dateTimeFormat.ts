// Intl.DateTimeFormat objects by locale and options. Building one costs far more than formatting with it
// (it loads the zone's rules), and reports, rollups and SLA clocks format in the same few zones for every
// message: each distinct formatter is built once per process. A formatter is immutable, so sharing it is
// safe; the map stays as small as the set of zones and formats in use.
const formatters = new Map<string, Intl.DateTimeFormat>();

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}\u0000${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, format);
  }
  return format;
}

/** True when the runtime knows the IANA zone (an unknown one throws where a formatter is built). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    dateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
