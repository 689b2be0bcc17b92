import { afterEach, describe, expect, it, vi } from 'vitest';
import { DRAFT_TTL_MS } from './drafts.ts';
import { memoryStore } from './storage.ts';
import { ChatStore } from './store.ts';
import { message } from './test-support.ts';

const now = new Date('2025-01-01T08:00:00Z');
const view = (store: ChatStore) =>
  store
    .entries()
    .map((e) => (e.kind === 'message' ? `${e.draft ? 'draft' : e.message.author}:${e.message.text}` : '?'));

describe('streamed drafts in the widget store', () => {
  afterEach(() => vi.useRealTimers());

  it('shows a draft growing in place, ignores late frames, and lets the stored answer take its key', () => {
    const store = new ChatStore(memoryStore(), 'zhike:t');
    const question = message({ text: '可以开发票吗', author: 'customer', clientMessageId: 'c1' });
    store.merge([question]);
    let renders = 0;
    store.subscribe(() => renders++);

    store.draft({ draftId: 'd1', seq: 1, text: '可以' }, now);
    store.draft({ draftId: 'd1', seq: 3, text: '可以开具电子发票，' }, now);
    store.draft({ draftId: 'd1', seq: 2, text: '可以开具' }, now); // overtaken: ignored
    expect(view(store)).toEqual(['customer:可以开发票吗', 'draft:可以开具电子发票，']);
    expect(renders).toBe(2);
    const [, draft] = store.entries();
    expect(draft).toMatchObject({ kind: 'message', key: 'd1', draft: true });
    expect(store.unreadCount()).toBe(0); // a draft is not a message yet

    const stored = message({ id: 'd1', text: '可以开具电子发票，3个工作日内发到邮箱。', author: 'bot' });
    store.merge([stored]);
    expect(store.entries()).toEqual([
      { kind: 'message', key: 'c1', message: question },
      { kind: 'message', key: 'd1', message: stored },
    ]);
    // A frame that was still in flight does not bring the draft back.
    store.draft({ draftId: 'd1', seq: 4, text: '可以开具电子发票，3个' }, now);
    expect(view(store)).toEqual(['customer:可以开发票吗', 'bot:可以开具电子发票，3个工作日内发到邮箱。']);
  });

  it('drops a draft when a different message settles the turn (fallback after a retry, an agent)', () => {
    const store = new ChatStore(memoryStore(), 'zhike:t');
    store.draft({ draftId: 'd1', seq: 1, text: '退款将在' }, now);
    store.merge([message({ id: 'm2', text: '您好，我是客服小王', author: 'agent' })]);
    expect(view(store)).toEqual(['agent:您好，我是客服小王']);
  });

  it('a draft nobody finishes fades after a minute', () => {
    vi.useFakeTimers();
    const store = new ChatStore(memoryStore(), 'zhike:t');
    let renders = 0;
    store.subscribe(() => renders++);
    store.draft({ draftId: 'd1', seq: 1, text: '正在' }, new Date());
    vi.advanceTimersByTime(DRAFT_TTL_MS - 1);
    expect(view(store)).toEqual(['draft:正在']);
    vi.advanceTimersByTime(1);
    expect(view(store)).toEqual([]);
    expect(renders).toBe(2);
  });
});
