/** An ECharts host for the wall: line and bar charts with large labels, resized with the box. */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import { type EChartsCoreOption, type EChartsType, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

use([LineChart, BarChart, GridComponent, LegendComponent, CanvasRenderer]);

export function ScreenChart({ option, testId }: { option: EChartsCoreOption; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  useEffect(() => {
    if (!ref.current) return;
    const c = init(ref.current);
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(ref.current);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);
  return <div ref={ref} className="screen-chart" data-testid={testId} />;
}

/** Reported and closed per day, as the wall shows them. */
export function trendOption(days: { day: string; reported: number; closed: number }[]): EChartsCoreOption {
  return {
    animation: false,
    textStyle: { color: '#cfe3ff', fontSize: 18 },
    legend: { top: 0, right: 10, textStyle: { color: '#cfe3ff', fontSize: 18 } },
    grid: { left: 50, right: 20, top: 40, bottom: 30 },
    xAxis: {
      type: 'category',
      data: days.map((d) => d.day.slice(5)),
      axisLabel: { color: '#cfe3ff', fontSize: 16 },
    },
    yAxis: {
      type: 'value',
      axisLabel: { color: '#cfe3ff', fontSize: 16 },
      splitLine: { lineStyle: { color: 'rgba(127,193,255,0.15)' } },
    },
    series: [
      {
        name: '上报',
        type: 'line',
        data: days.map((d) => d.reported),
        symbolSize: 8,
        lineStyle: { width: 3 },
        color: '#40a9ff',
      },
      {
        name: '结案',
        type: 'line',
        data: days.map((d) => d.closed),
        symbolSize: 8,
        lineStyle: { width: 3 },
        color: '#73d13d',
      },
    ],
  };
}
