// Every error leaves as application/problem+json with a type from the catalogue in @zhike/contracts.
import { type Problem, type ProblemCode, problemCodes, problemTypeUri } from '@zhike/contracts';
import { DomainError } from '@zhike/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const titles: Record<ProblemCode, string> = {
  validation_failed: 'The request is invalid',
  malformed_body: 'The request body is not valid JSON',
  unauthenticated: 'Authentication required',
  invalid_credentials: 'Wrong email or password',
  invalid_signature: 'Invalid signature',
  forbidden: 'Not allowed',
  csrf_failed: 'Missing or wrong CSRF token',
  origin_not_allowed: 'This origin may not use this inbox',
  not_found: 'Not found',
  conflict: 'Conflict',
  payload_too_large: 'The request body is too large',
  unsupported_media_type: 'Unsupported content type',
  rate_limited: 'Too many requests',
  internal: 'Internal error',
  unavailable: 'Service unavailable',
};

export class HttpProblem extends Error {
  /** Sent as Retry-After (whole seconds) with a 429 or 503: when the client may try again. */
  retryAfterSeconds?: number;
  constructor(
    readonly code: ProblemCode,
    readonly detail?: string,
    readonly errors?: Problem['errors'],
  ) {
    super(detail ?? titles[code]);
    this.name = 'HttpProblem';
  }

  /** A refusal the client should retry after `ms` (rounded up to whole seconds, at least 1). */
  static retryLater(code: 'rate_limited' | 'unavailable', detail: string, ms: number): HttpProblem {
    const problem = new HttpProblem(code, detail);
    problem.retryAfterSeconds = Math.max(1, Math.ceil(ms / 1000));
    return problem;
  }
}

export function problemBody(code: ProblemCode, detail?: string, errors?: Problem['errors']): Problem {
  return {
    type: problemTypeUri(code),
    title: titles[code],
    status: problemCodes[code],
    ...(detail ? { detail } : {}),
    ...(errors ? { errors } : {}),
  };
}

export function sendProblem(
  reply: FastifyReply,
  code: ProblemCode,
  detail?: string,
  errors?: Problem['errors'],
) {
  return reply
    .code(problemCodes[code])
    .type('application/problem+json; charset=utf-8')
    .send(problemBody(code, detail, errors));
}

interface ValidationItem {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

function toProblem(error: FastifyError | Error): {
  code: ProblemCode;
  detail?: string;
  errors?: Problem['errors'];
} {
  if (error instanceof HttpProblem) return { code: error.code, detail: error.detail, errors: error.errors };
  if (error instanceof DomainError) return { code: error.code, detail: error.message };
  const fe = error as FastifyError & { validation?: ValidationItem[]; validationContext?: string };
  if (fe.validation) {
    const where = fe.validationContext ?? 'body';
    return {
      code: 'validation_failed',
      detail: `Invalid ${where}`,
      errors: fe.validation.map((v) => ({
        path: `${where}${v.instancePath ?? ''}`,
        message: v.message ?? 'is invalid',
      })),
    };
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_ERR_WS_PAYLOAD_TOO_LARGE':
      return { code: 'payload_too_large', detail: fe.message };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: 'unsupported_media_type', detail: 'Send application/json' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { code: 'malformed_body', detail: fe.message };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return { code: 'malformed_body', detail: fe.message };
  }
  if (error instanceof SyntaxError) return { code: 'malformed_body', detail: 'Body is not valid JSON' };
  const status = fe.statusCode ?? 500;
  if (status === 413) return { code: 'payload_too_large' };
  if (status === 415) return { code: 'unsupported_media_type' };
  if (status === 404) return { code: 'not_found' };
  if (status === 503) return { code: 'unavailable' };
  if (status >= 400 && status < 500)
    return { code: status === 401 ? 'unauthenticated' : 'validation_failed', detail: fe.message };
  return { code: 'internal' };
}

export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const problem = toProblem(error);
    if (error instanceof HttpProblem && error.retryAfterSeconds)
      reply.header('retry-after', String(error.retryAfterSeconds));
    if (problemCodes[problem.code] >= 500) {
      request.log.error({ err: error }, 'request failed');
    }
    return sendProblem(reply, problem.code, problem.detail, problem.errors);
  });
}
