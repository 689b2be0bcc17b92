// Sign-in hardening (two-factor, sessions, password), revealing masked personal data, and the audit log.
import Type from 'typebox';
import { Id, Timestamp } from './common.ts';

/** 202 from POST /auth/login when the account has two-factor on: send a code with this token next. */
export const TwoFactorChallenge = Type.Object({
  twoFactorRequired: Type.Literal(true),
  pendingToken: Type.String(),
  expiresAt: Timestamp,
});
export type TwoFactorChallenge = Type.Static<typeof TwoFactorChallenge>;

export const TwoFactorLoginBody = Type.Object(
  {
    pendingToken: Type.String({ minLength: 1, maxLength: 300 }),
    code: Type.String({ minLength: 6, maxLength: 20, description: '6-digit TOTP code or a recovery code' }),
  },
  { additionalProperties: false },
);
export type TwoFactorLoginBody = Type.Static<typeof TwoFactorLoginBody>;

export const TwoFactorStatus = Type.Object({
  enabled: Type.Boolean(),
  enabledAt: Type.Union([Timestamp, Type.Null()]),
  recoveryCodesLeft: Type.Integer(),
  /** Whether this user's role may turn it on. */
  available: Type.Boolean(),
});
export type TwoFactorStatus = Type.Static<typeof TwoFactorStatus>;

/** Shown once: the secret as text and as the otpauth:// URI the QR code encodes. */
export const TwoFactorEnrolment = Type.Object({ secret: Type.String(), otpauthUri: Type.String() });
export type TwoFactorEnrolment = Type.Static<typeof TwoFactorEnrolment>;

export const TwoFactorCodeBody = Type.Object(
  { code: Type.String({ minLength: 6, maxLength: 20 }) },
  { additionalProperties: false },
);
export type TwoFactorCodeBody = Type.Static<typeof TwoFactorCodeBody>;

/** Shown once after confirming; each code signs in once instead of a TOTP code. */
export const RecoveryCodes = Type.Object({ recoveryCodes: Type.Array(Type.String()) });
export type RecoveryCodes = Type.Static<typeof RecoveryCodes>;

export const DisableTwoFactorBody = Type.Object(
  {
    password: Type.String({ minLength: 1, maxLength: 256 }),
    code: Type.String({ minLength: 6, maxLength: 20 }),
  },
  { additionalProperties: false },
);
export type DisableTwoFactorBody = Type.Static<typeof DisableTwoFactorBody>;

export const ChangePasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
    newPassword: Type.String({ minLength: 10, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type ChangePasswordBody = Type.Static<typeof ChangePasswordBody>;

export const SessionSummary = Type.Object({
  id: Id,
  current: Type.Boolean(),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  /** Masked (203.0.*.*). */
  ip: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
  lastSeenAt: Timestamp,
  expiresAt: Timestamp,
});
export type SessionSummary = Type.Static<typeof SessionSummary>;
export const SessionSummaryList = Type.Object({ sessions: Type.Array(SessionSummary) });
export type SessionSummaryList = Type.Static<typeof SessionSummaryList>;
export const RevokedSessions = Type.Object({ revoked: Type.Integer() });
export type RevokedSessions = Type.Static<typeof RevokedSessions>;

export const RevealField = Type.Union([
  Type.Literal('name'),
  Type.Literal('email'),
  Type.Literal('phone'),
  Type.Literal('identities'),
]);
export type RevealField = Type.Static<typeof RevealField>;
export const RevealBody = Type.Object(
  { fields: Type.Array(RevealField, { minItems: 1, maxItems: 4, uniqueItems: true }) },
  { additionalProperties: false },
);
export type RevealBody = Type.Static<typeof RevealBody>;
/** Only the fields asked for, in clear. */
export const RevealedCustomer = Type.Object({
  id: Id,
  name: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  email: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  phone: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  identities: Type.Optional(Type.Array(Type.Object({ channel: Type.String(), value: Type.String() }))),
});
export type RevealedCustomer = Type.Static<typeof RevealedCustomer>;

export const AuditQuery = Type.Object(
  {
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
    actor: Type.Optional(Type.String({ maxLength: 64, description: 'Actor id (a user id, cli, …)' })),
    action: Type.Optional(Type.String({ maxLength: 64, pattern: '^[a-z_]+\\.[a-z_]+$' })),
    cursor: Type.Optional(Type.String({ maxLength: 20, pattern: '^\\d+$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Type.Static<typeof AuditQuery>;

export const AuditExportQuery = Type.Object(
  {
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
    actor: Type.Optional(Type.String({ maxLength: 64 })),
    action: Type.Optional(Type.String({ maxLength: 64, pattern: '^[a-z_]+\\.[a-z_]+$' })),
    format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('jsonl')], { default: 'csv' })),
  },
  { additionalProperties: false },
);
export type AuditExportQuery = Type.Static<typeof AuditExportQuery>;

export const AuditEntry = Type.Object({
  seq: Type.Integer(),
  id: Type.String(),
  at: Timestamp,
  actor: Type.Object({ type: Type.String(), id: Type.String() }),
  action: Type.String(),
  target: Type.Union([Type.Object({ type: Type.String(), id: Type.String() }), Type.Null()]),
  details: Type.Record(
    Type.String(),
    Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
  ),
  hash: Type.String(),
});
export type AuditEntry = Type.Static<typeof AuditEntry>;
export const AuditPage = Type.Object({
  entries: Type.Array(AuditEntry),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type AuditPage = Type.Static<typeof AuditPage>;

export const AuditVerification = Type.Object({
  ok: Type.Boolean(),
  count: Type.Integer(),
  head: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  brokenAtSeq: Type.Union([Type.Integer(), Type.Null()]),
});
export type AuditVerification = Type.Static<typeof AuditVerification>;
