// Test doubles for the bot's ports and a helper to play a conversation line by line.
import type { CompiledBot } from './compile.ts';
import type { BusinessHours } from './hours.ts';
import type { BotPorts, CustomerTickets, DialogueState, Order, TurnCustomer, TurnResult } from './types.ts';

export interface RecordingPorts extends BotPorts {
  tickets: { type: string; fields: Record<string, string>; customerId: string }[];
  callbacks: { phone: string; note: string; customerId: string }[];
  lookups: string[];
  /** Customers whose tickets were read. */
  ticketLookups: string[];
}

/** `own`: each customer's tickets, as the host would read them (none for anyone else). */
export function recordingPorts(
  orders: readonly Order[],
  own: Readonly<Record<string, CustomerTickets>> = {},
): RecordingPorts {
  const ports: RecordingPorts = {
    tickets: [],
    callbacks: [],
    lookups: [],
    ticketLookups: [],
    async lookupOrder(number) {
      ports.lookups.push(number);
      return orders.find((o) => o.number === number) ?? null;
    },
    async lookupTickets(customerId) {
      ports.ticketLookups.push(customerId);
      return own[customerId] ?? { tickets: [], more: 0, timeZone: 'Asia/Shanghai' };
    },
    async createTicket(ticket) {
      ports.tickets.push(ticket);
      return { number: `T-${1000 + ports.tickets.length}` };
    },
    async createCallback(callback) {
      ports.callbacks.push(callback);
      return { number: `CB-${ports.callbacks.length}` };
    },
  };
  return ports;
}

export interface Conversation {
  say(text: string): Promise<TurnResult>;
  readonly state: DialogueState | null;
}

export function conversation(
  bot: CompiledBot,
  ports: BotPorts,
  options: { customer?: TurnCustomer; now?: Date; businessHours?: BusinessHours } = {},
): Conversation {
  let state: DialogueState | null = null;
  return {
    async say(text) {
      const result = await bot.turn(
        state,
        {
          text,
          now: options.now ?? new Date('2026-05-06T04:00:00Z'),
          customer: options.customer ?? { id: 'cust-1' },
          businessHours: options.businessHours ?? null,
        },
        ports,
      );
      // The state must survive a JSON round trip, as the server stores it between turns.
      state = JSON.parse(JSON.stringify(result.state)) as DialogueState;
      return result;
    },
    get state() {
      return state;
    },
  };
}

export function texts(result: TurnResult): string {
  return result.replies.map((r) => r.text).join('\n');
}
