// What every part of one demo history run shares: the simulation, the shop, the channels' entry points,
// what customers ask, and the tally the summary is made of.
import type { ChannelType } from '@zhike/core';
import type { Channels } from './cast.ts';
import type { DemoShop } from './demoShop.ts';
import type { Simulation } from './simulation.ts';

export interface HistorySummary {
  conversations: number;
  byChannel: Record<ChannelType, number>;
  /** Customer and agent messages the simulated people wrote (the bot's answers not counted). */
  messages: number;
  /** Text conversations the bot handed to people, each answered by an agent. */
  handedOff: number;
  resolved: number;
  /** In-chat ratings (the API channel's shop tool); survey answers rate conversations too. */
  rated: number;
  /** Agents who take conversations (a supervisor besides, who takes complaints). */
  agents: number;
  /** Tickets of the period by source (bot forms, e-mail threads, agents, negative surveys). */
  tickets: number;
  ticketsBySource: Record<string, number>;
  ticketsSolved: number;
  surveysSent: number;
  surveysAnswered: number;
  complaints: number;
  complaintsClosed: number;
  calls: number;
  /** Calls the bot handed to an agent, who answered. */
  callsWithAgent: number;
}

export interface Run {
  sim: Simulation;
  shop: DemoShop;
  channels: Channels;
  summary: HistorySummary;
  /** The retail template's training questions (FAQ paraphrases and intent examples; never a test split). */
  questions: readonly string[];
  outOfScope: readonly string[];
  /** Conversations met so far (a new one counts as a conversation of its channel). */
  seen: Set<string>;
  /** Conversations rated once already (an answered survey or the in-chat rating). */
  rated: Set<string>;
}

export const emptySummary = (agents: number): HistorySummary => ({
  conversations: 0,
  byChannel: { widget: 0, api: 0, sms: 0, email: 0, wechat: 0, voice: 0 },
  messages: 0,
  handedOff: 0,
  resolved: 0,
  rated: 0,
  agents,
  tickets: 0,
  ticketsBySource: {},
  ticketsSolved: 0,
  surveysSent: 0,
  surveysAnswered: 0,
  complaints: 0,
  complaintsClosed: 0,
  calls: 0,
  callsWithAgent: 0,
});

/** Counts the conversation the first time it is met. */
export function meet(run: Run, conversationId: string, channel: ChannelType): void {
  if (run.seen.has(conversationId)) return;
  run.seen.add(conversationId);
  run.summary.conversations++;
  run.summary.byChannel[channel]++;
}
