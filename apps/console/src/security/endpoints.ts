// The security endpoints the console calls (spread into createZhikeApi, where every path lives).
import type {
  AuditExportQuery,
  AuditPage,
  AuditQuery,
  AuditVerification,
  ChangePasswordBody,
  DisableTwoFactorBody,
  RecoveryCodes,
  RevealedCustomer,
  RevealField,
  RevokedSessions,
  SessionInfo,
  SessionSummaryList,
  TwoFactorEnrolment,
  TwoFactorLoginBody,
  TwoFactorStatus,
} from '@zhike/contracts';
import { buildUrl, type HttpClient } from '../api/http.ts';

const v1 = '/api/v1';
const enc = encodeURIComponent;

export const securityEndpoints = (http: HttpClient) => ({
  /** A wrong or expired code is an answer to show, not a lost session. */
  loginTwoFactor: (body: TwoFactorLoginBody) =>
    http.request<SessionInfo>('POST', `${v1}/auth/login/two-factor`, { body, expectUnauthenticated: true }),
  twoFactorStatus: () => http.request<TwoFactorStatus>('GET', `${v1}/auth/two-factor`),
  enrolTwoFactor: () => http.request<TwoFactorEnrolment>('POST', `${v1}/auth/two-factor/enrol`),
  confirmTwoFactor: (code: string) =>
    http.request<RecoveryCodes>('POST', `${v1}/auth/two-factor/confirm`, { body: { code } }),
  disableTwoFactor: (body: DisableTwoFactorBody) =>
    http.request<null>('POST', `${v1}/auth/two-factor/disable`, { body }),
  listSessions: () => http.request<SessionSummaryList>('GET', `${v1}/auth/sessions`),
  revokeSession: (id: string) => http.request<null>('DELETE', `${v1}/auth/sessions/${enc(id)}`),
  revokeOtherSessions: () => http.request<RevokedSessions>('POST', `${v1}/auth/sessions/revoke-others`),
  changePassword: (body: ChangePasswordBody) =>
    http.request<RevokedSessions>('POST', `${v1}/auth/password`, { body }),
  revealCustomer: (id: string, fields: RevealField[]) =>
    http.request<RevealedCustomer>('POST', `${v1}/customers/${enc(id)}/reveal`, { body: { fields } }),
  listAudit: (query: AuditQuery) => http.request<AuditPage>('GET', `${v1}/audit`, { query }),
  verifyAudit: () => http.request<AuditVerification>('POST', `${v1}/audit/verify`),
  /** Same-origin and cookie-authenticated: the browser downloads it as it streams. */
  auditExportUrl: (query: AuditExportQuery) => buildUrl('', `${v1}/audit/export`, query),
});
