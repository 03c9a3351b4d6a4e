/** The wall's charts: the console's ECharts host sized by the screen's stylesheet, large labels. */
import { LineChart } from 'echarts/charts';
import { LegendComponent } from 'echarts/components';
import { type EChartsCoreOption, use } from 'echarts/core';
import { EChart } from '../command/EChart';

// The console's chart host (bars, grid, canvas) plus what the wall's trend needs.
use([LineChart, LegendComponent]);

export function ScreenChart({ option, testId }: { option: EChartsCoreOption; testId?: string }) {
  return <EChart option={option} className="screen-chart" {...(testId ? { testId } : {})} />;
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
