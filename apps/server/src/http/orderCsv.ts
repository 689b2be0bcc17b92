// Parses the orders CSV of `POST /api/v1/orders/import` (RFC 4180 quoting, UTF-8, optional BOM): every
// line is checked, and all problems are reported together so the shop fixes the file in one go.
import { ORDER_CSV_HEADER } from '@zhike/contracts';
import type { NewOrder } from '@zhike/core';

export const MAX_IMPORT_ROWS = 10_000;

export interface CsvLineError {
  line: number;
  message: string;
}

/** Splits CSV text into rows of fields, with the 1-based line each row starts on. */
export function csvRows(text: string): { line: number; fields: string[] }[] | CsvLineError {
  const out: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let i = 0;
  const endRow = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0]?.trim() === '')) out.push({ line: rowLine, fields });
    fields = [];
    field = '';
  };
  while (i < text.length) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === '"') return { line, message: 'a quote inside an unquoted field' };
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else field += ch;
    i++;
  }
  if (quoted) return { line: rowLine, message: 'an unterminated quoted field' };
  if (field !== '' || fields.length > 0) endRow();
  return out;
}

const NUMBER = /^[A-Za-z0-9_-]{1,64}$/;
const PHONE = /^\+?[0-9 -]{4,31}$/;
const TOTAL = /^[0-9]+(\.[0-9]{1,2})?$/;

export function parseOrderCsv(text: string): { orders: NewOrder[] } | { errors: CsvLineError[] } {
  const parsed = csvRows(text.replace(/^\uFEFF/, ''));
  if (!Array.isArray(parsed)) return { errors: [parsed] };
  const [header, ...body] = parsed;
  const columns = ORDER_CSV_HEADER.split(',');
  if (!header || header.fields.map((f) => f.trim().toLowerCase()).join(',') !== ORDER_CSV_HEADER)
    return { errors: [{ line: header?.line ?? 1, message: `the first line must be: ${ORDER_CSV_HEADER}` }] };
  if (body.length === 0) return { errors: [{ line: 2, message: 'no orders in the file' }] };
  if (body.length > MAX_IMPORT_ROWS)
    return { errors: [{ line: MAX_IMPORT_ROWS + 2, message: `at most ${MAX_IMPORT_ROWS} orders per file` }] };
  const errors: CsvLineError[] = [];
  const orders: NewOrder[] = [];
  const seen = new Map<string, number>();
  for (const { line, fields } of body) {
    if (fields.length !== columns.length) {
      errors.push({ line, message: `expected ${columns.length} fields, found ${fields.length}` });
      continue;
    }
    const [number, status, carrier, tracking, phone, total] = fields.map((f) => f.trim()) as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const problems: string[] = [];
    if (!NUMBER.test(number)) problems.push('number must be 1–64 letters, digits, - or _');
    if (!status || status.length > 64) problems.push('status is required (at most 64 characters)');
    if (carrier.length > 64) problems.push('carrier is longer than 64 characters');
    if (tracking.length > 64) problems.push('tracking_number is longer than 64 characters');
    if (phone && !PHONE.test(phone)) problems.push('phone is not a phone number');
    if (total && !TOTAL.test(total)) problems.push('total must be a number with at most 2 decimals');
    const key = number.toUpperCase();
    const first = seen.get(key);
    if (first !== undefined) problems.push(`order ${number} already appears on line ${first}`);
    else seen.set(key, line);
    if (problems.length > 0) {
      errors.push({ line, message: problems.join('; ') });
      continue;
    }
    orders.push({
      number,
      status,
      carrier: carrier || null,
      trackingNumber: tracking || null,
      phone: phone || null,
      items: [],
      total: total || null,
    });
  }
  return errors.length > 0 ? { errors } : { orders };
}
