// HTTP for the speech adapters: the shared request helper (../http/call.ts) with its failures mapped onto
// SpeechProviderError (401/403 → 'auth', other non-2xx → 'http'), and JSON answers read naming the vendor.
import { excerpt, type HttpAnswer, type HttpCall, HttpCallError, sendHttp } from '../http/call.ts';
import { type SpeechErrorCode, SpeechProviderError } from './errors.ts';

export { type FetchLike, globalFetch, joinUrl } from '../http/call.ts';

/** Sends one request and reads the whole answer; non-2xx answers become errors (401/403 → 'auth'). */
export async function callHttp(call: HttpCall): Promise<HttpAnswer> {
  try {
    return await sendHttp(call);
  } catch (error) {
    if (!(error instanceof HttpCallError)) throw error;
    const code: SpeechErrorCode =
      error.failure === 'status'
        ? error.status === 401 || error.status === 403
          ? 'auth'
          : 'http'
        : error.failure === 'too_large'
          ? 'bad_response'
          : error.failure;
    throw new SpeechProviderError(call.provider, code, error.message, {
      status: error.status,
      body: error.body,
      cause: error.cause,
    });
  }
}

/** Parses a JSON answer, naming the provider when it is not JSON. */
export function parseJson(provider: string, body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    const text = excerpt(body.toString('utf8'));
    throw new SpeechProviderError(provider, 'bad_response', `answer is not JSON: ${text}`, { body: text });
  }
}
