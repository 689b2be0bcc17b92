// The one error type every speech adapter throws, so the pipeline and the trace can tell a bad key from a
// slow vendor from a missing model without knowing which vendor it was.

export type SpeechErrorCode =
  /** Settings or model files are missing or invalid; retrying will not help. */
  | 'config'
  /** The vendor refused the credentials or the signature. */
  | 'auth'
  /** Any other non-2xx HTTP answer or an error message inside a streaming protocol. */
  | 'http'
  | 'provider'
  | 'timeout'
  | 'aborted'
  | 'network'
  /** The answer arrived but did not have the documented shape. */
  | 'bad_response'
  /** A local engine (espeak-ng, sherpa-onnx) failed. */
  | 'engine';

export interface SpeechErrorDetails {
  status?: number;
  /** The start of the vendor's answer (never the request: it may carry secrets). */
  body?: string;
  cause?: unknown;
}

export class SpeechProviderError extends Error {
  readonly provider: string;
  readonly code: SpeechErrorCode;
  readonly status: number | undefined;
  readonly body: string | undefined;

  constructor(provider: string, code: SpeechErrorCode, message: string, details: SpeechErrorDetails = {}) {
    super(`${provider}: ${message}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SpeechProviderError';
    this.provider = provider;
    this.code = code;
    this.status = details.status;
    this.body = details.body;
  }
}

export { excerpt } from '../http/call.ts';
