/**
 * The report's charts, drawn on the server: ECharts renders an option to SVG (its SSR mode, no
 * DOM) and resvg rasterises the SVG to PNG with a CJK font read from disk — Word and LibreOffice
 * embed PNG everywhere, SVG not. Without a CJK font the labels would be empty boxes, so a missing
 * font is an error, not a blank chart.
 */
import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import { AppError } from '../../platform/errors.js';

const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
];

export function cjkFont(env: NodeJS.ProcessEnv = process.env): { file: string; family: string } {
  const configured = env.REPORT_CJK_FONT;
  const file = configured ? (existsSync(configured) ? configured : null) : FONT_CANDIDATES.find(existsSync);
  if (!file)
    throw new AppError('REPORT_CJK_FONT_MISSING', { details: { tried: configured ?? FONT_CANDIDATES } });
  const family = /wqy-microhei/.test(file)
    ? 'WenQuanYi Micro Hei'
    : /zenhei/.test(file)
      ? 'WenQuanYi Zen Hei'
      : 'Noto Sans CJK SC';
  return { file, family };
}

export interface Chart {
  png: Buffer;
  width: number;
  height: number;
}

/** Renders an ECharts option at width × height CSS pixels, as a PNG at twice that resolution. */
export function renderChart(option: echarts.EChartsCoreOption, width: number, height: number): Chart {
  const font = cjkFont();
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: font.family }, ...option });
    const svg = chart.renderToSVGString();
    const png = new Resvg(svg, {
      fitTo: { mode: 'width', value: width * 2 },
      background: '#ffffff',
      font: { fontFiles: [font.file], loadSystemFonts: false, defaultFontFamily: font.family },
    })
      .render()
      .asPng();
    return { png, width, height };
  } finally {
    chart.dispose();
  }
}

const COLORS = ['#1677ff', '#52c41a', '#faad14', '#f5222d', '#722ed1', '#13c2c2', '#eb2f96', '#8c8c8c'];

export function pieChart(title: string, items: { name: string; value: number }[]): Chart {
  return renderChart(
    {
      color: COLORS,
      title: { text: title, left: 'center', textStyle: { fontSize: 16 } },
      legend: { bottom: 0, textStyle: { fontSize: 12 } },
      series: [
        {
          type: 'pie',
          radius: ['30%', '60%'],
          center: ['50%', '50%'],
          label: { formatter: '{b}\n{c} 件（{d}%）', fontSize: 12 },
          data: items,
        },
      ],
    },
    600,
    360,
  );
}

export function barChart(
  title: string,
  items: { name: string; value: number }[],
  options: { horizontal?: boolean; unit?: string } = {},
): Chart {
  const names = items.map((i) => i.name);
  const values = items.map((i) => i.value);
  const category = { type: 'category' as const, data: names, axisLabel: { fontSize: 11, interval: 0 } };
  const value = { type: 'value' as const, name: options.unit ?? '', axisLabel: { fontSize: 11 } };
  return renderChart(
    {
      color: COLORS,
      title: { text: title, left: 'center', textStyle: { fontSize: 16 } },
      grid: { left: options.horizontal ? 150 : 50, right: 40, top: 50, bottom: options.horizontal ? 30 : 60 },
      xAxis: options.horizontal ? value : { ...category, axisLabel: { ...category.axisLabel, rotate: 30 } },
      yAxis: options.horizontal ? { ...category, inverse: true } : value,
      series: [
        { type: 'bar', data: values, label: { show: true, position: options.horizontal ? 'right' : 'top' } },
      ],
    },
    600,
    options.horizontal ? Math.max(200, 60 + items.length * 28) : 340,
  );
}

export function lineChart(title: string, items: { name: string; value: number }[]): Chart {
  return renderChart(
    {
      color: COLORS,
      title: { text: title, left: 'center', textStyle: { fontSize: 16 } },
      grid: { left: 50, right: 30, top: 50, bottom: 40 },
      xAxis: { type: 'category', data: items.map((i) => i.name), axisLabel: { fontSize: 11 } },
      yAxis: { type: 'value', name: '件', axisLabel: { fontSize: 11 } },
      series: [
        { type: 'line', data: items.map((i) => i.value), smooth: false, areaStyle: { opacity: 0.15 } },
      ],
    },
    600,
    300,
  );
}
