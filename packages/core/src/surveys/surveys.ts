// Follow-up surveys (回访): after a conversation is resolved or a ticket solved, the customer is asked for
// a score from 1 to 5 and a comment on their own channel. Settings, the survey record and what the store
// keeps of both.
import type { QuietHours } from '../campaigns/campaign.ts';
import type { ChannelType } from '../model.ts';

export type SurveyTrigger = 'conversation' | 'ticket';
export type SurveyStatus = 'scheduled' | 'sent' | 'answered' | 'skipped';
export type SurveySkipReason =
  | 'recently_surveyed'
  | 'no_channel'
  | 'channel_unsupported'
  | 'consent_withdrawn'
  | 'unknown_customer'
  | 'disabled';
/** How the answer came: the survey page (from SMS, email or WeChat), the widget's card, a digit reply. */
export type SurveyAnswerVia = 'page' | 'widget' | 'reply' | 'voice';

export interface SurveySettings {
  enabled: boolean;
  /** Minutes after the resolution; quiet hours push it on to their end. */
  delayMinutes: number;
  /** IANA zone the quiet hours are read in. */
  timeZone: string;
  quietHours: QuietHours | null;
  /** At most one survey per customer in this many days. */
  minDaysBetween: number;
  /** How long the survey's link (and a digit reply) is accepted after sending. */
  linkTtlHours: number;
  updatedAt: string | null;
}

/** Off until the shop turns it on: nobody gets messages they did not expect from a fresh install. */
export const defaultSurveySettings: SurveySettings = {
  enabled: false,
  delayMinutes: 120,
  timeZone: 'Asia/Shanghai',
  quietHours: { start: '21:00', end: '09:00' },
  minDaysBetween: 30,
  linkTtlHours: 72,
  updatedAt: null,
};

/** The survey is sent within 24 h of the resolution: the delay plus at most a night's quiet hours. */
export const SURVEY_MAX_DELAY_MINUTES = 720;
export const SURVEY_COMMENT_MAX = 1000;

export interface Survey {
  id: string;
  customerId: string;
  conversationId: string | null;
  ticketId: string | null;
  trigger: SurveyTrigger;
  /** The channel it went (or goes) out on, and the inbox; null until known. */
  channel: ChannelType | null;
  inboxId: string | null;
  status: SurveyStatus;
  skipReason: SurveySkipReason | null;
  dueAt: string;
  sentAt: string | null;
  expiresAt: string | null;
  messageId: string | null;
  score: number | null;
  comment: string | null;
  answeredAt: string | null;
  answeredVia: SurveyAnswerVia | null;
  /** null until the answer was reviewed. */
  negative: boolean | null;
  complaintId: string | null;
  createdAt: string;
}

export interface NewSurvey {
  id: string;
  sourceKey: string;
  customerId: string;
  conversationId: string | null;
  ticketId: string | null;
  trigger: SurveyTrigger;
  channel: ChannelType | null;
  inboxId: string | null;
  status: 'scheduled' | 'skipped';
  skipReason: SurveySkipReason | null;
  dueAt: string;
  createdAt: string;
}

export interface CsatRange {
  from: string;
  to: string;
}

export interface CsatSummary {
  sent: number;
  answered: number;
  /** answered / sent, 0..1; null when nothing was sent. */
  responseRate: number | null;
  averageScore: number | null;
  /** Share of answers scoring 4 or 5, 0..1; null without answers. */
  csat: number | null;
  /** Answers per score, index 0 = score 1. */
  distribution: [number, number, number, number, number];
  negative: number;
  byChannel: { channel: string; sent: number; answered: number; averageScore: number | null }[];
}

export interface SurveysRepository {
  settings(): Promise<SurveySettings>;
  saveSettings(settings: Omit<SurveySettings, 'updatedAt'>, at: string): Promise<SurveySettings>;
  /** false when a survey with the same source key exists already. */
  create(survey: NewSurvey): Promise<boolean>;
  get(id: string): Promise<Survey | null>;
  bySource(sourceKey: string): Promise<Survey | null>;
  /** When the customer was last surveyed (sent or scheduled), if ever. */
  lastSurveyedAt(customerId: string): Promise<string | null>;
  /** Moves a scheduled survey to sent; false when it was not scheduled any more. */
  markSent(
    id: string,
    sent: { sentAt: string; expiresAt: string; messageId: string | null; tokenHash: string },
  ): Promise<boolean>;
  markSkipped(id: string, reason: SurveySkipReason, at: string): Promise<boolean>;
  /** The customer's sent, unanswered, unexpired survey in this inbox that a digit reply would answer. */
  awaitingReply(customerId: string, inboxId: string, now: string): Promise<Survey | null>;
  /** Records the answer of a sent survey; false when it was answered (or not sent) already. */
  recordAnswer(
    id: string,
    answer: { score: number; comment: string | null; answeredAt: string; via: SurveyAnswerVia },
  ): Promise<boolean>;
  markReviewed(
    id: string,
    review: { negative: boolean; complaintId: string | null; at: string },
  ): Promise<void>;
  /** Newest first. */
  list(options: { limit: number; status?: SurveyStatus; customerId?: string }): Promise<Survey[]>;
  summary(range: CsatRange): Promise<CsatSummary>;
  /** PIPL erasure: the customer's surveys and complaints go; returns rows deleted per table. */
  deleteForCustomer(customerId: string): Promise<{ surveys: number; complaints: number }>;
}
