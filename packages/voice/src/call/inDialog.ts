// Sending a request inside a dialog (BYE, re-INVITE) with its ACK and digest retry, and the trace line
// every SIP message of a call leaves behind.
import { getCSeq, type SipHeader, type SipMessage, type SipRequest, type SipResponse } from '../sip/index.ts';
import type { CallTrace } from '../types.ts';
import type { Dialog } from './dialog.ts';
import type { CallSignalling, ChallengeResponder } from './ports.ts';

export const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO';

/** One trace event per SIP message: '180 Ringing received', 'BYE sent'… with its CSeq. */
export function traceSipMessage(trace: CallTrace, direction: 'sent' | 'received', message: SipMessage): void {
  let cseq: string | null = null;
  try {
    const parsed = getCSeq(message);
    cseq = `${parsed.seq} ${parsed.method}`;
  } catch {
    cseq = null;
  }
  const name =
    message.kind === 'request'
      ? `${message.method} ${direction}`
      : `${message.status} ${message.reason} ${direction}`;
  trace.add({ stage: 'sip', name, detail: { cseq, sdp: message.body.length > 0 } });
}

export interface InDialogContext {
  dialog: Dialog;
  signalling: CallSignalling;
  trace: CallTrace;
  contact: string;
  authenticate?: ChallengeResponder;
}

/**
 * Sends a request in the dialog and resolves with its final response; answers one 401/407 with
 * credentials; ACKs every 2xx to an INVITE (retransmissions included, §13.2.2.4).
 */
export function sendInDialog(
  context: InDialogContext,
  method: string,
  body?: Buffer,
): Promise<{ request: SipRequest; response: SipResponse }> {
  const { dialog, signalling, trace } = context;
  return new Promise((resolve) => {
    let challenged = false;
    const attempt = (extra: SipHeader[]) => {
      const destination = dialog.nextHop();
      const local = signalling.localAddress(destination.transport);
      const request = dialog.createRequest(method, {
        local,
        contact: context.contact,
        headers: [...extra, ...(method === 'INVITE' ? [{ name: 'Allow', value: ALLOW }] : [])],
        ...(body ? { body } : {}),
      });
      traceSipMessage(trace, 'sent', request);
      let settled = false;
      let ack: SipRequest | null = null;
      signalling.sendRequest(request, destination).onResponse((response) => {
        traceSipMessage(trace, 'received', response);
        if (response.status < 200) return;
        if (method === 'INVITE' && response.status < 300) {
          ack ??= dialog.createRequest('ACK', { local, cseq: getCSeq(request).seq });
          traceSipMessage(trace, 'sent', ack);
          signalling.sendAck(ack, destination);
        }
        if (settled) return;
        settled = true;
        const challenge = response.status === 401 || response.status === 407;
        const authorization = challenge && !challenged ? context.authenticate?.(request, response) : null;
        if (authorization) {
          challenged = true;
          attempt([authorization]);
          return;
        }
        resolve({ request, response });
      });
    };
    attempt([]);
  });
}
