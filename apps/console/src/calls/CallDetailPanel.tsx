// One call: who, when and how it ended; the recording with a transcript that follows playback (click a
// line to jump there); the metered usage; and the call's trace (SIP dialog and pipeline timings).
import type { CallDetail } from '@zhike/contracts';
import { Alert, Button, Descriptions, Empty, Skeleton, Space, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import type { Route } from '../routing/route.ts';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { formatDateTime } from '../ui/time.ts';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { recordingUrl } from './endpoints.ts';
import { durationText, stateColor } from './labels.ts';
import { TraceTable } from './TraceTable.tsx';
import { activeLineIndex, clockOf } from './transcriptSync.ts';

type Props = { callId: string; navigate: (route: Route) => void };

export function CallDetailPanel({ callId, navigate }: Props) {
  const { t, locale } = useI18n();
  const { api, session } = useSignedIn();
  const notifyError = useNotifyError();
  const [detail, setDetail] = useState<CallDetail | null>(null);
  const [positionMs, setPositionMs] = useState(0);
  const audio = useRef<HTMLAudioElement>(null);

  useEffect(() => {
    const controller = new AbortController();
    setDetail(null);
    api.getCall(callId, controller.signal).then(setDetail, (error: unknown) => {
      if (!controller.signal.aborted) notifyError(error);
    });
    return () => controller.abort();
  }, [api, callId, notifyError]);

  if (!detail) return <Skeleton active />;
  const { call, transcript, trace, usage, live } = detail;
  const active = activeLineIndex(transcript, positionMs);
  const mayListen = can(session, 'calls.listen');

  const seek = (ms: number) => {
    const el = audio.current;
    if (!el) return;
    el.currentTime = ms / 1000;
    void el.play().catch(() => undefined);
  };

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      {live && <Alert type="info" showIcon message={t('calls.detail.live')} />}
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label={t('calls.col.from')}>{call.from}</Descriptions.Item>
        <Descriptions.Item label={t('calls.col.to')}>{call.to}</Descriptions.Item>
        <Descriptions.Item label={t('calls.col.started')}>
          {formatDateTime(call.startedAt, locale)}
        </Descriptions.Item>
        <Descriptions.Item label={t('calls.col.duration')}>
          {durationText(t, call.durationSeconds)}
        </Descriptions.Item>
        <Descriptions.Item label={t('calls.col.direction')}>
          {t(`calls.direction.${call.direction}`)} · {t(`calls.transport.${call.transport}`)}
        </Descriptions.Item>
        <Descriptions.Item label={t('calls.col.state')}>
          <Tag color={stateColor[call.state]}>{t(`calls.state.${call.state}`)}</Tag>
          {call.endReason && <Typography.Text type="secondary">{call.endReason}</Typography.Text>}
        </Descriptions.Item>
      </Descriptions>
      <Button onClick={() => navigate({ name: 'inbox', conversationId: call.conversationId })}>
        {t('calls.detail.conversation')}
      </Button>

      <section>
        <Typography.Title level={5}>{t('calls.detail.player')}</Typography.Title>
        {call.recording && mayListen ? (
          <>
            {/* biome-ignore lint/a11y/useMediaCaption: the synced transcript below is the caption. */}
            <audio
              ref={audio}
              className="zk-call-player"
              controls
              preload="metadata"
              src={recordingUrl(call.id)}
              style={{ width: '100%' }}
              onTimeUpdate={(e) => setPositionMs(e.currentTarget.currentTime * 1000)}
            />
            <Typography.Text type="secondary">{t('calls.detail.playerHint')}</Typography.Text>
          </>
        ) : (
          <Typography.Text type="secondary">{t('calls.detail.noRecording')}</Typography.Text>
        )}
      </section>

      <section>
        <Typography.Title level={5}>{t('calls.detail.transcript')}</Typography.Title>
        {transcript.length === 0 ? (
          <Empty description={t('calls.detail.noTranscript')} />
        ) : (
          <ol className="zk-call-transcript">
            {transcript.map((line, i) => (
              <li
                key={line.seq}
                className={i === active ? 'is-active' : undefined}
                data-speaker={line.speaker}
              >
                <button type="button" onClick={() => seek(line.startMs)}>
                  <span className="zk-call-transcript__time">{clockOf(line.startMs)}</span>
                  <Tag
                    color={line.speaker === 'caller' ? 'default' : line.speaker === 'bot' ? 'blue' : 'green'}
                  >
                    {t(`calls.speaker.${line.speaker}`)}
                  </Tag>
                  <span>{line.text}</span>
                </button>
              </li>
            ))}
          </ol>
        )}
      </section>

      <section>
        <Typography.Title level={5}>{t('calls.detail.usage')}</Typography.Title>
        <Descriptions size="small" column={3}>
          <Descriptions.Item label={t('calls.detail.talk')}>
            {durationText(t, usage.talkSeconds)}
          </Descriptions.Item>
          <Descriptions.Item label={t('calls.detail.asr')}>
            {durationText(t, usage.asrSeconds)}
          </Descriptions.Item>
          <Descriptions.Item label={t('calls.detail.tts')}>
            {t('calls.detail.ttsChars', { n: usage.ttsCharacters })}
          </Descriptions.Item>
        </Descriptions>
      </section>

      <section>
        <Typography.Title level={5}>{t('calls.detail.trace')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('calls.detail.traceHint')}</Typography.Paragraph>
        <TraceTable events={trace} />
      </section>
    </Space>
  );
}
