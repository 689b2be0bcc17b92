// Entry point of widget.js: reads the embedding <script> tag, bootstraps the visitor session, then hands
// over to the view and the WebSocket connection. Exposes window.Zhike.
import type { WidgetConfig, WidgetIdentity } from '@zhike/contracts';
import { WIDGET_MAX_TEXT } from '@zhike/contracts/protocol';
import { createWidgetApi, isPermanent } from './api.ts';
import { WidgetCall } from './call.ts';
import { CallBar } from './callBar.ts';
import { browserSocket, WidgetConnection } from './connection.ts';
import { createTranslator, pickLocale } from './i18n.ts';
import { createClientMessageId } from './ids.ts';
import { safeStore } from './storage.ts';
import { ChatStore } from './store.ts';
import { ChatView } from './view.ts';

export interface ZhikeApi {
  open(): void;
  close(): void;
  setCustomer(customer: { name: string }): Promise<void>;
  /**
   * Who the shop's signed-in visitor is, signed by the shop's server with the inbox's identity secret
   * (README: signed widget identity). Rejects when the server refuses the signature.
   */
  identify(identity: WidgetIdentity): Promise<void>;
}

declare global {
  interface Window {
    Zhike?: ZhikeApi;
    /** Set by the first copy of widget.js, so a tag pasted twice does not make two widgets. */
    __zhikeBooted?: boolean;
  }
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retries transient failures (network, 5xx) with a capped backoff; gives up at once on permanent ones. */
async function withRetry<T>(action: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await action();
    } catch (error) {
      if (isPermanent(error)) throw error;
      await wait(Math.min(30_000, 1000 * 2 ** attempt) * (0.5 + Math.random() / 2));
    }
  }
}

async function boot(script: HTMLScriptElement): Promise<void> {
  const inbox = script.dataset.inbox;
  if (!inbox) {
    console.warn('[zhike] the widget script tag needs data-inbox');
    return;
  }
  const baseUrl = script.dataset.api || new URL(script.src, location.href).origin;
  const api = createWidgetApi(baseUrl, inbox);
  const storage = safeStore(() => window.localStorage);
  const tokenKey = `zhike:${inbox}:visitor`;

  let config: WidgetConfig;
  try {
    config = await withRetry(() => api.config());
  } catch (error) {
    console.warn('[zhike] this inbox cannot be loaded here', error);
    return;
  }
  const locale = pickLocale(script.dataset.locale, navigator.language, config.locale);
  const t = createTranslator(locale);
  const store = new ChatStore(storage, `zhike:${inbox}`);
  let visitorToken = storage.getItem(tokenKey);
  /** The last name given through setCustomer, so a renewed session keeps it. */
  let customerName: string | undefined;
  /** The last identity given through identify, likewise. */
  let identity: WidgetIdentity | undefined;

  const requestSession = async (name?: string): Promise<void> => {
    const session = await withRetry(() =>
      api.session({
        ...(visitorToken ? { visitorToken } : {}),
        ...(name ? { name } : {}),
        ...(identity ? { identity } : {}),
      }),
    );
    visitorToken = session.visitorToken;
    storage.setItem(tokenKey, session.visitorToken);
    store.merge(session.messages);
  };
  // One session request at a time. A page that calls identify (or setCustomer) while the first session is
  // still being started would otherwise start a second visitor beside it, and whichever answered last
  // would be the one chatting: often the anonymous one, so the signed identity was lost. Queued, the later
  // request carries the first one's visitor token and names that same visitor.
  let sessions: Promise<void> = Promise.resolve();
  const startSession = (name?: string): Promise<void> => {
    const next = sessions.catch(() => undefined).then(() => requestSession(name));
    sessions = next;
    return next;
  };

  const connection = new WidgetConnection({
    url: () => api.socketUrl(visitorToken ?? ''),
    openSocket: browserSocket,
    store,
    // The server forgot this visitor (or the token was forged): become a new one, keeping the outbox.
    renewSession: async () => {
      visitorToken = null;
      storage.removeItem(tokenKey);
      await startSession(customerName);
    },
  });
  const call = config.voiceCalls
    ? new WidgetCall({
        getMicrophone: () => navigator.mediaDevices.getUserMedia({ audio: true }),
        createPeer: () => new RTCPeerConnection(),
        send: (frame) => connection.sendCall(frame),
        play: (stream) => callBar?.play(stream),
      })
    : null;
  const callBar = call ? new CallBar(call, t) : undefined;
  if (call) {
    connection.onCall((frame) => call.receive(frame));
    // The server hangs up when the chat socket drops; the page learns it from the status.
    connection.onStatus((status) => {
      if (status !== 'online') call.hangUp('failed');
    });
  }
  const view = new ChatView({
    config,
    locale,
    t,
    store,
    maxLength: WIDGET_MAX_TEXT,
    onSend: (text) => connection.send(text),
    onRetry: (clientMessageId) => connection.retry(clientMessageId),
    onAttach: (file) => void sendPhoto(file),
    attachmentUrl: (id) => api.attachmentUrl(visitorToken ?? '', id),
    ...(callBar ? { callBar } : {}),
  });

  async function sendPhoto(file: File): Promise<void> {
    if (!visitorToken) return;
    view.notice(t('uploading'));
    try {
      const uploaded = await api.upload(visitorToken, file, file.name || 'photo', createClientMessageId());
      store.merge([uploaded.message]);
      view.notice('');
    } catch {
      view.notice(t('uploadFailed'));
    }
  }
  document.body.append(view.host);
  view.setStatus('connecting');
  connection.onStatus((status) => view.setStatus(status));
  connection.onQueue((position, waitMinutes) => view.setQueue(position, waitMinutes));

  window.Zhike = {
    open: () => view.open(),
    close: () => view.close(),
    setCustomer: (customer) => {
      customerName = customer.name;
      return startSession(customer.name);
    },
    identify: async (given) => {
      identity = given;
      try {
        await startSession(customerName);
      } catch (error) {
        // A refused signature must not ride along on every later session.
        identity = undefined;
        throw error;
      }
    },
  };
  window.dispatchEvent(new Event('zhike:ready'));

  try {
    await startSession();
  } catch (error) {
    view.setStatus('unavailable');
    console.warn('[zhike] could not start a chat session', error);
    return;
  }
  store.markReadIfUnset();
  connection.start();
  listenForNetwork(connection);
}

function listenForNetwork(connection: WidgetConnection): void {
  window.addEventListener('online', () => connection.reconnectNow());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') connection.reconnectNow();
  });
}

function findScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.dataset.inbox) return current;
  return document.querySelector<HTMLScriptElement>('script[data-inbox]');
}

const script = findScript();
if (script && !window.__zhikeBooted) {
  window.__zhikeBooted = true;
  const start = () => void boot(script);
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start, { once: true });
}
