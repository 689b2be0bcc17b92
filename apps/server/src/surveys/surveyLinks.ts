// A survey's public link: `/s?t=<token>` with 128 random bits (short enough for an SMS); the database keeps
// only the token's SHA-256, so a leaked database or backup holds no working link. Links expire with the
// survey (its settings' link lifetime).
import { createHash, randomBytes } from 'node:crypto';
import type { SurveyLinks } from '@zhike/core';

export const SURVEY_PATH = '/s';
const TOKEN = /^[A-Za-z0-9_-]{22}$/;

export const surveyTokenHash = (token: string): string =>
  createHash('sha256').update(token).digest('base64url');

export const isSurveyToken = (token: string): boolean => TOKEN.test(token);

export function surveyLinks(publicUrl: string): SurveyLinks {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    issue() {
      const token = randomBytes(16).toString('base64url');
      return { token, tokenHash: surveyTokenHash(token) };
    },
    url: (token) => `${base}${SURVEY_PATH}?t=${token}`,
  };
}
