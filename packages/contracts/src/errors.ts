// The error catalogue: every 4xx/5xx is application/problem+json (RFC 9457) with one of these types.
import Type from 'typebox';

export const problemCodes = {
  validation_failed: 400,
  malformed_body: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  invalid_signature: 401,
  forbidden: 403,
  csrf_failed: 403,
  origin_not_allowed: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;
export type ProblemCode = keyof typeof problemCodes;

export const problemTypeUri = (code: ProblemCode): string => `urn:zhike:problem:${code}`;

export const Problem = Type.Object(
  {
    type: Type.String({ description: 'urn:zhike:problem:<code>' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(Type.Object({ path: Type.String(), message: Type.String() }), {
        description: 'Validation errors, one per offending field',
      }),
    ),
  },
  { $id: 'Problem' },
);
export type Problem = Type.Static<typeof Problem>;
