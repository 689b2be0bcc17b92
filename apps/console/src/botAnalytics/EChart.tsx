// One ECharts instance bound to a div: created on mount, given each new option, resized with its box,
// disposed on unmount.
import { type EChartsType, init } from 'echarts/core';
import { useEffect, useRef } from 'react';
import type { ChartOption } from './charts.ts';

export function EChart({ option, height, testId }: { option: ChartOption; height: number; testId: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);

  useEffect(() => {
    if (!box.current) return;
    const instance = init(box.current);
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(box.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={box} style={{ height, width: '100%' }} data-testid={testId} />;
}
