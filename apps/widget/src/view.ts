// The widget's DOM inside an open shadow root. Every piece of text goes in through textContent,
// so nothing a customer, agent or bot writes can become markup.
import type { WidgetConfig, WidgetMessage } from '@zhike/contracts';
import type { CallBar } from './callBar.ts';
import type { ConnectionStatus } from './connection.ts';
import { el, icon } from './dom.ts';
import type { Translate, WidgetLocale } from './i18n.ts';
import type { ChatEntry, ChatStore } from './store.ts';
import { styles } from './styles.ts';

export type ViewStatus = ConnectionStatus | 'unavailable';

export interface ViewOptions {
  config: WidgetConfig;
  locale: WidgetLocale;
  t: Translate;
  store: ChatStore;
  maxLength: number;
  onSend(text: string): void;
  onRetry(clientMessageId: string): void;
  /** A photo the visitor picked; absent = no attach button. */
  onAttach?(file: File): void;
  /** Where an attachment of this conversation downloads from (the visitor's token travels in it). */
  attachmentUrl?(id: string): string;
  /** The call button and its bar, when the workspace takes calls. */
  callBar?: CallBar;
}

const ICON_CHAT =
  'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z';
const ICON_CLOSE =
  'M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z';
const ICON_SEND = 'M3 20.5 21 12 3 3.5 3 10l12 2-12 2z';
const ICON_PHOTO =
  'M4 5h3l2-2h6l2 2h3a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V7a2 2 0 0 1 2-2zm8 3.5a4.5 4.5 0 1 0 0 9 4.5 4.5 0 0 0 0-9zm0 2a2.5 2.5 0 1 1 0 5 2.5 2.5 0 0 1 0-5z';

export class ChatView {
  readonly host: HTMLElement;
  private readonly root: HTMLDivElement;
  private readonly launcher: HTMLButtonElement;
  private readonly badge: HTMLSpanElement;
  private readonly panel: HTMLDivElement;
  private readonly statusBar: HTMLDivElement;
  private readonly queueBar: HTMLDivElement;
  private readonly list: HTMLDivElement;
  private readonly input: HTMLTextAreaElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly rendered = new Map<string, { node: HTMLElement; signature: string }>();
  private readonly time: Intl.DateTimeFormat;
  private readonly dayTime: Intl.DateTimeFormat;
  private isOpen = false;

  constructor(private readonly o: ViewOptions) {
    const { t, config } = o;
    this.time = new Intl.DateTimeFormat(o.locale, { hour: '2-digit', minute: '2-digit', hour12: false });
    this.dayTime = new Intl.DateTimeFormat(o.locale, {
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    });
    this.host = document.createElement('zhike-widget');
    const shadow = this.host.attachShadow({ mode: 'open' });
    const style = el('style');
    style.textContent = styles;

    this.badge = el('span', { class: 'badge', 'data-zhike': 'badge', 'aria-hidden': 'true' });
    this.badge.hidden = true;
    this.launcher = el(
      'button',
      {
        type: 'button',
        class: 'launcher',
        'data-zhike': 'launcher',
        'aria-haspopup': 'dialog',
        'aria-expanded': 'false',
      },
      icon(ICON_CHAT),
      this.badge,
    );
    this.launcher.addEventListener('click', () => (this.isOpen ? this.close() : this.open()));

    const close = el(
      'button',
      { type: 'button', class: 'close', 'aria-label': t('closeChat') },
      icon(ICON_CLOSE),
    );
    close.addEventListener('click', () => this.close());
    const titleId = 'zhike-title';
    const header = el(
      'header',
      { class: 'head' },
      el('div', { class: 'avatar', 'aria-hidden': 'true' }, Array.from(config.name)[0] ?? '客'),
      el(
        'div',
        { class: 'titles' },
        el('div', { class: 'title', id: titleId }, config.name || t('chatTitle')),
        el('div', { class: 'sub' }, t('subtitle')),
      ),
      ...(o.callBar ? [o.callBar.button] : []),
      close,
    );

    this.statusBar = el('div', { class: 'status', role: 'status', 'data-zhike': 'status' });
    this.statusBar.hidden = true;
    this.queueBar = el('div', { class: 'status queue', role: 'status', 'data-zhike': 'queue' });
    this.queueBar.hidden = true;
    this.list = el('div', {
      class: 'messages',
      'data-zhike': 'messages',
      role: 'log',
      'aria-live': 'polite',
      'aria-label': t('messages'),
      tabindex: '0',
    });
    if (config.greeting) {
      this.list.append(
        el(
          'div',
          { class: 'msg bot', 'data-zhike': 'greeting' },
          el('div', { class: 'name' }, config.name || t('bot')),
          el('div', { class: 'bubble' }, config.greeting),
        ),
      );
    }

    this.input = el('textarea', {
      class: 'input',
      'data-zhike': 'input',
      rows: '1',
      maxlength: String(o.maxLength),
      placeholder: t('inputPlaceholder'),
      'aria-label': t('inputLabel'),
    });
    this.sendButton = el(
      'button',
      { type: 'submit', class: 'send', 'data-zhike': 'send', 'aria-label': t('send'), title: t('send') },
      icon(ICON_SEND),
    );
    const composer = el('form', { class: 'composer' }, this.input, this.sendButton);
    if (o.onAttach) composer.prepend(this.attachControl(o.onAttach));
    composer.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    this.input.addEventListener('keydown', (event) => {
      // isComposing/229: Enter that confirms a pinyin candidate must not send the half-typed message.
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener('input', () => this.autosize());

    this.panel = el(
      'div',
      { class: 'panel', 'data-zhike': 'panel', role: 'dialog', 'aria-labelledby': titleId },
      header,
      this.statusBar,
      ...(o.callBar ? [o.callBar.bar, o.callBar.audio] : []),
      this.queueBar,
      this.list,
      composer,
      el('div', { class: 'foot' }, t('poweredBy')),
    );
    this.panel.hidden = true;
    this.panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        this.close();
        this.launcher.focus();
      }
    });

    this.root = el('div', { class: 'root', 'data-open': 'false' }, this.panel, this.launcher);
    this.root.style.setProperty('--zk-accent', '#1677ff');
    shadow.append(style, this.root);

    o.store.subscribe(() => this.render());
    this.render();
  }

  open(): void {
    if (this.isOpen) return;
    this.isOpen = true;
    this.panel.hidden = false;
    this.root.setAttribute('data-open', 'true');
    this.launcher.setAttribute('aria-expanded', 'true');
    this.o.store.markRead();
    this.render();
    this.scrollToEnd();
    this.input.focus();
  }

  close(): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.panel.hidden = true;
    this.root.setAttribute('data-open', 'false');
    this.launcher.setAttribute('aria-expanded', 'false');
    this.render();
  }

  setStatus(status: ViewStatus): void {
    const text =
      status === 'connecting'
        ? this.o.t('connecting')
        : status === 'offline'
          ? this.o.t('offline')
          : status === 'unavailable'
            ? this.o.t('unavailable')
            : status === 'blocked'
              ? this.o.t('blocked')
              : '';
    this.statusBar.textContent = text;
    this.statusBar.setAttribute('data-state', status);
    this.statusBar.hidden = text === '';
  }

  private submit(): void {
    const text = this.input.value.trim();
    if (!text) return;
    this.o.onSend(text);
    this.input.value = '';
    this.autosize();
    this.input.focus();
  }

  private attachControl(onAttach: (file: File) => void): HTMLElement {
    const picker = el('input', {
      type: 'file',
      accept: 'image/jpeg,image/png,image/gif,image/webp',
      'data-zhike': 'file',
      tabindex: '-1',
      hidden: '',
    });
    picker.addEventListener('change', () => {
      const file = picker.files?.[0];
      picker.value = '';
      if (file) onAttach(file);
    });
    const button = el(
      'button',
      {
        type: 'button',
        class: 'attach',
        'data-zhike': 'attach',
        'aria-label': this.o.t('attach'),
        title: this.o.t('attach'),
      },
      icon(ICON_PHOTO),
    );
    button.addEventListener('click', () => picker.click());
    return el('span', { class: 'attach-wrap' }, picker, button);
  }

  /** 排队中: 第 N 位, 预计 M 分钟 while the visitor waits for a person; hidden once someone picks up. */
  setQueue(position: number | null, waitMinutes: number | null): void {
    this.queueBar.textContent =
      position === null
        ? ''
        : waitMinutes === null
          ? this.o.t('queue', { n: position })
          : this.o.t('queueWait', { n: position, m: waitMinutes });
    this.queueBar.hidden = position === null;
  }

  /** A short notice in the status bar (upload progress or failure), cleared by the next status. */
  notice(text: string): void {
    this.statusBar.textContent = text;
    this.statusBar.setAttribute('data-state', 'notice');
    this.statusBar.hidden = text === '';
  }

  private attachmentNodes(message: WidgetMessage): HTMLElement[] {
    const url = this.o.attachmentUrl;
    if (!url || !message.attachments) return [];
    return message.attachments.flatMap((a) => {
      if (!a.id) return [];
      const href = url(a.id);
      if (a.mimeType.startsWith('image/')) {
        const link = el('a', { href, target: '_blank', rel: 'noopener', class: 'photo' });
        link.append(el('img', { src: href, alt: a.name, loading: 'lazy', 'data-zhike': 'photo' }));
        return [link];
      }
      return [
        el(
          'a',
          { href, target: '_blank', rel: 'noopener', class: 'file' },
          `${this.o.t('attachment')}: ${a.name}`,
        ),
      ];
    });
  }

  private autosize(): void {
    this.input.style.height = 'auto';
    this.input.style.height = `${Math.min(this.input.scrollHeight + 2, 120)}px`;
  }

  private render(): void {
    const { store, t } = this.o;
    if (this.isOpen) store.markRead();
    const unread = this.isOpen ? 0 : store.unreadCount();
    this.badge.textContent = unread > 99 ? '99+' : String(unread);
    this.badge.hidden = unread === 0;
    this.launcher.setAttribute(
      'aria-label',
      unread > 0
        ? `${t('openChat')} (${t('unread', { n: unread })})`
        : this.isOpen
          ? t('closeChat')
          : t('openChat'),
    );

    const nearEnd = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 80;
    const entries = store.entries();
    const seen = new Set<string>();
    const greeting = this.list.querySelector('[data-zhike=greeting]');
    let anchor: ChildNode | null = greeting ? greeting.nextSibling : this.list.firstChild;
    let previous: WidgetMessage | null = null;
    let appendedCustomer = false;
    for (const entry of entries) {
      const showName =
        entry.kind === 'message' &&
        entry.message.author !== 'customer' &&
        entry.message.author !== 'system' &&
        (previous?.author !== entry.message.author || previous.authorName !== entry.message.authorName);
      const signature = entrySignature(entry, showName);
      seen.add(entry.key);
      let item = this.rendered.get(entry.key);
      if (!item || item.signature !== signature) {
        const node = this.renderEntry(entry, showName);
        if (item) {
          if (anchor === item.node) anchor = item.node.nextSibling;
          item.node.remove();
        }
        if (!item && entry.kind === 'pending') appendedCustomer = true;
        item = { node, signature };
        this.rendered.set(entry.key, item);
      }
      if (item.node !== anchor) this.list.insertBefore(item.node, anchor);
      anchor = item.node.nextSibling;
      previous = entry.kind === 'message' ? entry.message : null;
    }
    for (const [key, item] of this.rendered) {
      if (!seen.has(key)) {
        item.node.remove();
        this.rendered.delete(key);
      }
    }
    if (nearEnd || appendedCustomer) this.scrollToEnd();
  }

  private renderEntry(entry: ChatEntry, showName: boolean): HTMLElement {
    const { t } = this.o;
    if (entry.kind === 'pending') {
      const { pending } = entry;
      const meta = el('div', { class: 'meta' }, this.timeNode(pending.createdAt));
      if (pending.status === 'sending') meta.append(el('span', {}, t('sending')));
      else if (!pending.retryable) meta.append(el('span', { class: 'warn', role: 'alert' }, t('rejected')));
      else {
        const retry = el('button', { type: 'button', class: 'retry', 'data-zhike': 'retry' }, t('retry'));
        retry.addEventListener('click', () => this.o.onRetry(pending.clientMessageId));
        meta.append(el('span', { class: 'warn', role: 'alert' }, t('failed')), retry);
      }
      return el(
        'div',
        {
          class: 'msg customer',
          'data-zhike': 'message',
          'data-author': 'customer',
          'data-status': pending.status,
          'data-client-message-id': pending.clientMessageId,
        },
        el('div', { class: 'bubble' }, pending.text),
        meta,
      );
    }
    const { message } = entry;
    const node = el(
      'div',
      {
        class: `msg ${message.author}`,
        'data-zhike': 'message',
        'data-author': message.author,
        'data-status': entry.draft ? 'streaming' : 'sent',
        'data-message-id': message.id,
      },
      el('div', { class: 'bubble' }, message.text),
    );
    const files = this.attachmentNodes(message);
    if (files.length > 0) {
      const bubble = node.lastChild as HTMLElement;
      if (!message.text) bubble.remove();
      node.append(el('div', { class: 'files' }, ...files));
    }
    if (message.author !== 'system')
      node.append(el('div', { class: 'meta' }, this.timeNode(message.createdAt)));
    if (showName) {
      const fallback = message.author === 'agent' ? t('agent') : t('bot');
      node.prepend(el('div', { class: 'name' }, message.authorName || fallback));
    }
    return node;
  }

  private timeNode(iso: string): HTMLTimeElement {
    const date = new Date(iso);
    const valid = !Number.isNaN(date.getTime());
    const today = valid && date.toDateString() === new Date().toDateString();
    return el('time', { datetime: iso }, valid ? (today ? this.time : this.dayTime).format(date) : '');
  }

  private scrollToEnd(): void {
    this.list.scrollTop = this.list.scrollHeight;
  }
}

function entrySignature(entry: ChatEntry, showName: boolean): string {
  return entry.kind === 'pending'
    ? `p|${entry.pending.status}|${entry.pending.retryable ? 1 : 0}`
    : `m|${entry.message.id}|${showName ? 1 : 0}|${entry.draft ? `d${entry.message.text.length}` : ''}`;
}
