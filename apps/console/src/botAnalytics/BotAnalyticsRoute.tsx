// The analytics page loads on first visit: its charts (ECharts) stay out of the bundle every agent loads.
import { Skeleton } from 'antd';
import { lazy, Suspense } from 'react';

const BotAnalyticsPage = lazy(() =>
  import('./BotAnalyticsPage.tsx').then((m) => ({ default: m.BotAnalyticsPage })),
);

export function BotAnalyticsRoute() {
  return (
    <Suspense fallback={<Skeleton active style={{ padding: 28 }} />}>
      <BotAnalyticsPage />
    </Suspense>
  );
}
