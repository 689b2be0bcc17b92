// The problem+json body (RFC 9457); its `type` is urn:zhike:problem:<code> from problemCodes (protocol.ts).
import Type from 'typebox';

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
