// The call button's DOM: a phone button in the header and, during a call, a bar with where the call
// stands, a timer and hang-up; the shop's audio plays from a hidden <audio>. Shown only when the
// workspace takes calls (WidgetConfig.voiceCalls).
import type { CallPhase, WidgetCall } from './call.ts';
import { el, icon } from './dom.ts';
import type { MessageKey, Translate } from './i18n.ts';

const ICON_PHONE =
  'M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z';

const PHASE_TEXT: Record<CallPhase, MessageKey | null> = {
  idle: null,
  connecting: 'callConnecting',
  bot: 'callWithBot',
  waiting: 'callWaiting',
  agent: 'callWithAgent',
  ended: 'callEnded',
  failed: 'callFailed',
  'no-mic': 'callNoMic',
};

export class CallBar {
  readonly button: HTMLButtonElement;
  readonly bar: HTMLDivElement;
  readonly audio: HTMLAudioElement;
  private readonly text: HTMLSpanElement;
  private readonly timer: HTMLSpanElement;
  private readonly hangUp: HTMLButtonElement;
  private startedAt = 0;
  private tick: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly call: WidgetCall,
    private readonly t: Translate,
  ) {
    this.button = el(
      'button',
      {
        type: 'button',
        class: 'close call',
        'data-zhike': 'call',
        'aria-label': t('call'),
        title: t('call'),
      },
      icon(ICON_PHONE),
    );
    this.button.addEventListener('click', () => void call.start());
    this.text = el('span', { 'data-zhike': 'call-state' });
    this.timer = el('span', { class: 'timer', 'data-zhike': 'call-timer' });
    this.hangUp = el('button', { type: 'button', class: 'hangup', 'data-zhike': 'hangup' }, t('hangUp'));
    this.hangUp.addEventListener('click', () => call.hangUp());
    this.bar = el('div', { class: 'status callbar', role: 'status' }, this.text, this.timer, this.hangUp);
    this.bar.hidden = true;
    this.audio = el('audio', { autoplay: '' });
    this.audio.hidden = true;
    call.onPhase((phase) => this.show(phase));
  }

  /** Plays (or stops) the shop's audio. */
  play(stream: MediaStream | null): void {
    this.audio.srcObject = stream;
    if (stream) void this.audio.play().catch(() => {});
  }

  private show(phase: CallPhase): void {
    const key = PHASE_TEXT[phase];
    this.text.textContent = key ? this.t(key) : '';
    this.bar.hidden = key === null;
    this.bar.setAttribute('data-phase', phase);
    this.hangUp.hidden = !this.call.active;
    this.button.disabled = this.call.active;
    if (this.call.active && !this.tick) {
      this.startedAt = Date.now();
      this.tick = setInterval(() => this.renderTimer(), 1000);
      this.renderTimer();
    } else if (!this.call.active && this.tick) {
      clearInterval(this.tick);
      this.tick = null;
    }
  }

  private renderTimer(): void {
    const seconds = Math.floor((Date.now() - this.startedAt) / 1000);
    this.timer.textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  }
}
