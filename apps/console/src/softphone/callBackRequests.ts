// How a "call back" button anywhere in the console reaches the softphone (mounted once per page): the
// button asks, the softphone opens the microphone and dials. Kept tiny and framework-free.
export type CallBackTarget = { conversationId: string } | { customerId: string };

const listeners = new Set<(target: CallBackTarget) => void>();

/** Asks the softphone to call the customer back; false when no softphone is listening. */
export function requestCallBack(target: CallBackTarget): boolean {
  for (const listener of listeners) listener(target);
  return listeners.size > 0;
}

export function onCallBackRequest(listener: (target: CallBackTarget) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
