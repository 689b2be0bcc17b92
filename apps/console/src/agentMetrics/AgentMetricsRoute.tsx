// The agent metrics page loads on first visit: its charts (ECharts) stay out of the bundle every agent loads.
import { Skeleton } from 'antd';
import { lazy, Suspense } from 'react';

const AgentMetricsPage = lazy(() =>
  import('./AgentMetricsPage.tsx').then((m) => ({ default: m.AgentMetricsPage })),
);

export function AgentMetricsRoute() {
  return (
    <Suspense fallback={<Skeleton active style={{ padding: 28 }} />}>
      <AgentMetricsPage />
    </Suspense>
  );
}
