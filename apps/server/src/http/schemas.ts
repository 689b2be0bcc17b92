// Helpers shared by every route's schema: the problem response and schemas the contracts do not cover.
import { Problem } from '@zhike/contracts';
import Type from 'typebox';

const { $id: _id, ...inlineProblem } = Problem as typeof Problem & { $id?: string };
/** The problem+json body, inlined (no $id) so every route can list it. */
export const ProblemBody = Type.Unsafe<Type.Static<typeof Problem>>(inlineProblem);

export const problems = { '4xx': ProblemBody, '5xx': ProblemBody } as const;

export const Empty = Type.Object({}, { additionalProperties: false });
export const Ok = Type.Object({ ok: Type.Literal(true) });
