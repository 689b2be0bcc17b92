// Parses the customer profile CSV of `POST /api/v1/customers/profiles/import` (header PROFILE_CSV_HEADER):
// each row names its customer by external id, phone or email and gives member level, lifetime spend in
// CNY, order count and tags (separated by | or ;). Every line is checked; all problems come back at once.
import { PROFILE_CSV_HEADER } from '@zhike/contracts';
import { type CustomerProfile, totalToFen } from '@zhike/core';
import { type CsvLineError, csvRows, MAX_IMPORT_ROWS } from './orderCsv.ts';

export interface ProfileRow {
  line: number;
  key: { kind: 'external' | 'phone' | 'email'; value: string };
  profile: CustomerProfile;
}

const PHONE = /^\+?[0-9 -]{4,31}$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const COUNT = /^\d{1,9}$/;

export function parseProfileCsv(text: string): { rows: ProfileRow[] } | { errors: CsvLineError[] } {
  const parsed = csvRows(text.replace(/^\uFEFF/, ''));
  if (!Array.isArray(parsed)) return { errors: [parsed] };
  const [header, ...body] = parsed;
  const columns = PROFILE_CSV_HEADER.split(',');
  if (!header || header.fields.map((f) => f.trim().toLowerCase()).join(',') !== PROFILE_CSV_HEADER)
    return {
      errors: [{ line: header?.line ?? 1, message: `the first line must be: ${PROFILE_CSV_HEADER}` }],
    };
  if (body.length === 0) return { errors: [{ line: 2, message: 'no customers in the file' }] };
  if (body.length > MAX_IMPORT_ROWS)
    return { errors: [{ line: MAX_IMPORT_ROWS + 2, message: `at most ${MAX_IMPORT_ROWS} rows per file` }] };
  const errors: CsvLineError[] = [];
  const rows: ProfileRow[] = [];
  for (const { line, fields } of body) {
    if (fields.length !== columns.length) {
      errors.push({ line, message: `expected ${columns.length} fields, found ${fields.length}` });
      continue;
    }
    const [externalId, phone, email, level, spend, orders, tags] = fields.map((f) => f.trim()) as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const problems: string[] = [];
    if (!externalId && !phone && !email) problems.push('name the customer by external_id, phone or email');
    if (externalId.length > 128) problems.push('external_id is longer than 128 characters');
    if (phone && !PHONE.test(phone)) problems.push('phone is not a phone number');
    if (email && !EMAIL.test(email)) problems.push('email is not an email address');
    if (level.length > 64) problems.push('member_level is longer than 64 characters');
    const fen = spend === '' ? 0 : totalToFen(spend);
    if (fen === null) problems.push('lifetime_spend must be an amount in CNY with at most 2 decimals');
    if (orders !== '' && !COUNT.test(orders)) problems.push('order_count must be a whole number');
    const tagList = tags
      .split(/[|;]/)
      .map((t) => t.trim())
      .filter((t) => t !== '');
    if (tagList.some((t) => t.length > 64)) problems.push('a tag is longer than 64 characters');
    if (problems.length > 0) {
      errors.push({ line, message: problems.join('; ') });
      continue;
    }
    rows.push({
      line,
      key: externalId
        ? { kind: 'external', value: externalId }
        : phone
          ? { kind: 'phone', value: phone }
          : { kind: 'email', value: email },
      profile: {
        memberLevel: level || null,
        lifetimeSpendFen: fen ?? 0,
        orderCount: orders === '' ? 0 : Number(orders),
        tags: tagList,
      },
    });
  }
  return errors.length > 0 ? { errors } : { rows };
}
