// The speech settings page loads on first visit: its usage chart (ECharts) stays out of the main bundle.
import { Skeleton } from 'antd';
import { lazy, Suspense } from 'react';

const SpeechSettingsPage = lazy(() =>
  import('./SpeechSettingsPage.tsx').then((m) => ({ default: m.SpeechSettingsPage })),
);

export function SpeechSettingsRoute() {
  return (
    <Suspense fallback={<Skeleton active style={{ padding: 28 }} />}>
      <SpeechSettingsPage />
    </Suspense>
  );
}
