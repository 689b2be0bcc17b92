// The one error type every translation adapter throws, so the caller can decide without knowing the vendor:
// show the original and tell an admin (config, auth, quota), wait and retry (rate_limited, unavailable,
// timeout), or give up on this text (bad_request, unsupported_language).
import { HttpCallError } from '../http/call.ts';

export type TranslationErrorCode =
  /** Settings missing or invalid; retrying will not help. */
  | 'config'
  /** The vendor refused the key or the signature. */
  | 'auth'
  /** The account is out of characters, balance or free quota. */
  | 'quota'
  /** Too many requests right now. */
  | 'rate_limited'
  /** The vendor refused this request (too long, malformed). */
  | 'bad_request'
  /** The vendor does not translate this language or pair. */
  | 'unsupported_language'
  /** The vendor failed (5xx, connection refused, reset). */
  | 'unavailable'
  | 'timeout'
  | 'aborted'
  /** The answer arrived but did not have the documented shape (or the wrong number of translations). */
  | 'bad_response';

const RETRYABLE: ReadonlySet<TranslationErrorCode> = new Set(['rate_limited', 'unavailable', 'timeout']);

export interface TranslationErrorDetails {
  status?: number;
  /** The vendor's own error code (e.g. 'AuthFailure.SignatureFailure', '10005'). */
  vendorCode?: string;
  /** The start of the vendor's answer (never the request: it may carry secrets). */
  body?: string;
  cause?: unknown;
}

export class TranslationError extends Error {
  readonly provider: string;
  readonly code: TranslationErrorCode;
  readonly status: number | undefined;
  readonly vendorCode: string | undefined;
  readonly body: string | undefined;

  constructor(
    provider: string,
    code: TranslationErrorCode,
    message: string,
    details: TranslationErrorDetails = {},
  ) {
    super(`${provider}: ${message}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'TranslationError';
    this.provider = provider;
    this.code = code;
    this.status = details.status;
    this.vendorCode = details.vendorCode;
    this.body = details.body;
  }

  /** Worth trying again later (or with the next provider now); the others fail the same way again. */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}

/** The code for an HTTP status most vendors share; vendor-specific codes are mapped by each adapter. */
export function codeForStatus(status: number): TranslationErrorCode {
  if (status === 401 || status === 403) return 'auth';
  if (status === 402 || status === 456) return 'quota';
  if (status === 429 || status === 529) return 'rate_limited';
  if (status === 408 || status === 504) return 'timeout';
  if (status >= 500) return 'unavailable';
  return 'bad_request';
}

/**
 * A transport failure as a TranslationError. A non-2xx answer gets `classify(status, body)` when given
 * (vendors put the real reason in the body), else the shared status mapping.
 */
export function fromHttpError(
  provider: string,
  error: unknown,
  classify?: (status: number, body: string) => TranslationErrorCode | undefined,
  redact: (text: string) => string = (text) => text,
): unknown {
  if (!(error instanceof HttpCallError)) return error;
  const message = redact(error.message);
  const body = error.body === undefined ? undefined : redact(error.body);
  switch (error.failure) {
    case 'status': {
      const status = error.status ?? 0;
      const code = classify?.(status, body ?? '') ?? codeForStatus(status);
      return new TranslationError(provider, code, message, { status, body, cause: error });
    }
    case 'timeout':
      return new TranslationError(provider, 'timeout', message, { cause: error });
    case 'aborted':
      return new TranslationError(provider, 'aborted', message, { cause: error });
    case 'network':
      return new TranslationError(provider, 'unavailable', message, { cause: error });
    case 'too_large':
      return new TranslationError(provider, 'bad_response', message, { cause: error });
  }
}

/** Parses a JSON answer, naming the provider when it is not JSON. */
export function parseJsonAnswer(provider: string, body: Buffer): unknown {
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    const start = text.replace(/\s+/g, ' ').trim().slice(0, 300);
    throw new TranslationError(provider, 'bad_response', `answer is not JSON: ${start}`, { body: start });
  }
}
