// Reads the call frames of the widget and console sockets from untrusted JSON: anything that is not
// exactly a known frame (wrong types, oversize SDP, unknown transfer target) is null, never an exception.
import { CALL_MAX_SDP, type ConsoleCallFrame } from '@zhike/contracts';

export type WidgetCallFrame = { type: 'call.start'; sdp: string } | { type: 'call.hangup' };

const ID_MAX = 100;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isId = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= ID_MAX && /^[\w.:-]+$/.test(value);
const isSdp = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= CALL_MAX_SDP;

export function parseWidgetCallFrame(value: unknown): WidgetCallFrame | null {
  if (!isRecord(value)) return null;
  if (value.type === 'call.start' && isSdp(value.sdp)) return { type: 'call.start', sdp: value.sdp };
  if (value.type === 'call.hangup') return { type: 'call.hangup' };
  return null;
}

/** Whether a frame claims to be a call frame at all (so a malformed one gets a call.error back). */
export const isCallFrameType = (value: unknown): boolean =>
  isRecord(value) && typeof value.type === 'string' && value.type.startsWith('call.');

const isPhone = (value: unknown): value is string =>
  typeof value === 'string' && /^\+?[\d\s().-]{3,32}$/.test(value);

function parseDial(value: Record<string, unknown>): ConsoleCallFrame | null {
  const { target, phone, inboxId, sdp } = value;
  if (!isRecord(target) || !isSdp(sdp)) return null;
  if (phone !== undefined && !isPhone(phone)) return null;
  if (inboxId !== undefined && !isId(inboxId)) return null;
  const keys = Object.keys(target);
  let to: { conversationId: string } | { customerId: string };
  if (keys.length === 1 && isId(target.conversationId)) to = { conversationId: target.conversationId };
  else if (keys.length === 1 && isId(target.customerId)) to = { customerId: target.customerId };
  else return null;
  return {
    type: 'call.dial',
    target: to,
    sdp,
    ...(phone !== undefined ? { phone } : {}),
    ...(inboxId !== undefined ? { inboxId } : {}),
  };
}

export function parseConsoleCallFrame(value: unknown): ConsoleCallFrame | null {
  if (isRecord(value) && value.type === 'call.dial') return parseDial(value);
  if (!isRecord(value) || !isId(value.callId)) return null;
  const callId = value.callId;
  switch (value.type) {
    case 'call.answer':
      return isSdp(value.sdp) ? { type: 'call.answer', callId, sdp: value.sdp } : null;
    case 'call.mute':
      return typeof value.muted === 'boolean' ? { type: 'call.mute', callId, muted: value.muted } : null;
    case 'call.hold':
      return typeof value.held === 'boolean' ? { type: 'call.hold', callId, held: value.held } : null;
    case 'call.hangup':
      return { type: 'call.hangup', callId };
    case 'call.transfer': {
      const to = value.to;
      if (!isRecord(to)) return null;
      if (to.kind === 'bot') return { type: 'call.transfer', callId, to: { kind: 'bot' } };
      if (to.kind === 'agent' && isId(to.userId))
        return { type: 'call.transfer', callId, to: { kind: 'agent', userId: to.userId } };
      return null;
    }
    default:
      return null;
  }
}
