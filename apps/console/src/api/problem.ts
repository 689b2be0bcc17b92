// Turns failed responses into one typed error, so every caller handles problem+json the same way.
import { type ProblemCode, problemCodes } from '@zhike/contracts/protocol';
import type { Translate } from '../i18n/catalogue.ts';

export type ApiErrorCode = ProblemCode | 'network' | 'unknown';
export type FieldError = { path: string; message: string };

export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly title: string | null;
  readonly detail: string | null;
  readonly fieldErrors: readonly FieldError[];

  constructor(init: {
    status: number;
    code: ApiErrorCode;
    title?: string | null;
    detail?: string | null;
    fieldErrors?: readonly FieldError[];
  }) {
    super(init.detail ?? init.title ?? `${init.code} (${init.status})`);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title ?? null;
    this.detail = init.detail ?? null;
    this.fieldErrors = init.fieldErrors ?? [];
  }
}

const PROBLEM_PREFIX = 'urn:zhike:problem:';

function isProblemCode(value: string): value is ProblemCode {
  return Object.hasOwn(problemCodes, value);
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function readFieldErrors(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const rec = asRecord(item);
    return rec && typeof rec.path === 'string' && typeof rec.message === 'string'
      ? [{ path: rec.path, message: rec.message }]
      : [];
  });
}

/** Builds an ApiError from a status and a parsed body (a Problem document, or anything else a proxy sent). */
export function problemToError(status: number, body: unknown): ApiError {
  const rec = asRecord(body);
  const type = typeof rec?.type === 'string' ? rec.type : '';
  const raw = type.startsWith(PROBLEM_PREFIX) ? type.slice(PROBLEM_PREFIX.length) : '';
  return new ApiError({
    status,
    code: isProblemCode(raw) ? raw : 'unknown',
    title: typeof rec?.title === 'string' ? rec.title : null,
    detail: typeof rec?.detail === 'string' ? rec.detail : null,
    fieldErrors: readFieldErrors(rec?.errors),
  });
}

/** The text shown to the user: the server's detail when it has one, else a translated fallback. */
export function describeError(error: unknown, t: Translate): string {
  if (!(error instanceof ApiError)) return t('error.network');
  if (error.code === 'network') return t('error.network');
  const fields = error.fieldErrors.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message));
  const main = error.detail ?? error.title ?? t('error.unknown', { status: error.status });
  return fields.length > 0 && !error.detail ? `${main} — ${fields.join('; ')}` : main;
}
