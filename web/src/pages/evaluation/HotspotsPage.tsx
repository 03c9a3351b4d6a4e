/**
 * 热点分析: where cases cluster (Getis-Ord Gi* per hexagon or unit grid), how dense they are
 * (kernel density at 200 / 500 / 1000 m) and how clusters evolve week over week (emerging hot
 * spots). The map and the list show the same cells; a cell opens the cases behind it.
 */
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Card,
  Col,
  DatePicker,
  Input,
  Row,
  Segmented,
  Select,
  Space,
  Spin,
  Statistic,
  Table,
  Tag,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useErrorText } from '../../components/errors';
import { dataMonth, useDemoStatus } from '../../demo/status';
import { CityMap } from '../../map/CityMap';
import { CellCasesDrawer } from './CellCasesDrawer';
import {
  BIN_COLORS,
  type Cell,
  CLASS_COLORS,
  type Emerging,
  type EmergingCell,
  type Hotspots,
  type Mode,
  type Params,
  paintFor,
} from './hotspots-shared';

export function HotspotsPage() {
  const { status, loaded } = useDemoStatus();
  if (!loaded) return <Spin style={{ display: 'block', marginTop: 80 }} />;
  return <HotspotsView initialMonth={dataMonth(status)} />;
}

function HotspotsView({ initialMonth }: { initialMonth: Dayjs }) {
  const { t } = useTranslation('evaluation');
  const errorText = useErrorText();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [initialMonth, initialMonth.add(1, 'month')]);
  const [mode, setMode] = useState<Mode>('gi');
  const [unit, setUnit] = useState<'hex' | 'grid'>('hex');
  const [resolution, setResolution] = useState(9);
  const [radius, setRadius] = useState(1);
  const [kind, setKind] = useState<'' | 'event' | 'component'>('');
  const [categoryCode, setCategoryCode] = useState('');
  const [cell, setCell] = useState<string | null>(null);

  const params: Params = {
    unit,
    ...(unit === 'hex' ? { resolution } : { band: 300 }),
    ...(kind ? { kind } : {}),
    ...(/^[0-9]{2,7}$/.test(categoryCode) ? { categoryCode } : {}),
  };
  const period = { from: range[0].startOf('day').toISOString(), to: range[1].startOf('day').toISOString() };
  const hot = useQuery({
    queryKey: ['analytics', 'hotspots', params, period],
    queryFn: ({ signal }) =>
      api<Hotspots>('/analytics/hotspots', { signal, query: { ...params, ...period } }),
    enabled: mode !== 'emerging',
  });
  const emerging = useQuery({
    queryKey: ['analytics', 'emerging', params, period.to],
    queryFn: ({ signal }) =>
      api<Emerging>('/analytics/hotspots/emerging', {
        signal,
        query: { ...params, weeks: 8, to: period.to },
      }),
    enabled: mode === 'emerging',
  });
  const active = mode === 'emerging' ? emerging : hot;
  const data = active.data;

  const mapRef = useRef<MlMap | null>(null);
  const framed = useRef(false);
  const [mapReady, setMapReady] = useState(false);
  const onReady = useCallback((map: MlMap) => {
    map.addSource('hotspots', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({ id: 'hotspots-fill', type: 'fill', source: 'hotspots', paint: { 'fill-opacity': 0.7 } });
    map.addLayer({
      id: 'hotspots-line',
      type: 'line',
      source: 'hotspots',
      paint: { 'line-color': '#ffffff', 'line-width': 0.6 },
    });
    map.on('click', 'hotspots-fill', (e) => {
      const id = e.features?.[0]?.properties?.id;
      if (typeof id === 'string') setCell(id);
    });
    map.on('mouseenter', 'hotspots-fill', () => {
      map.getCanvas().style.cursor = 'pointer';
    });
    map.on('mouseleave', 'hotspots-fill', () => {
      map.getCanvas().style.cursor = '';
    });
    mapRef.current = map;
    setMapReady(true);
  }, []);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !mapReady || !data) return;
    (map.getSource('hotspots') as GeoJSONSource).setData(data.features);
    map.setPaintProperty('hotspots-fill', 'fill-color', paintFor(mode, radius, data));
    map.getContainer().dataset.cells = String(data.features.features.length);
    // The first answer frames the analysed area; later ones keep the view the user chose.
    if (!framed.current && data.features.features.length) {
      framed.current = true;
      map.fitBounds(boundsOf(data.features), { padding: 24, duration: 0 });
    }
  }, [data, mode, radius, mapReady]);

  const columns = useColumns(mode, radius);
  const rows: (Cell | EmergingCell)[] = data?.cells ?? [];

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="hotspots-page">
      <Card size="small">
        <Space wrap>
          <Segmented
            data-testid="hotspots-mode"
            value={mode}
            onChange={(v) => setMode(v as Mode)}
            options={(['gi', 'kde', 'emerging'] as const).map((m) => ({
              value: m,
              label: t(`hotspots.mode.${m}`),
            }))}
          />
          {mode === 'emerging' ? (
            <DatePicker
              value={range[1]}
              allowClear={false}
              onChange={(d) => d && setRange([d.subtract(8, 'week'), d])}
              picker="week"
            />
          ) : (
            <DatePicker.RangePicker
              value={range}
              allowClear={false}
              onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
            />
          )}
          <Segmented
            value={unit}
            onChange={(v) => setUnit(v as 'hex' | 'grid')}
            options={[
              { value: 'hex', label: t('hotspots.unit.hex') },
              { value: 'grid', label: t('hotspots.unit.grid') },
            ]}
          />
          {unit === 'hex' && (
            <Select
              value={resolution}
              onChange={setResolution}
              style={{ width: 150 }}
              options={[8, 9, 10].map((r) => ({ value: r, label: t(`hotspots.resolution.${r}`) }))}
            />
          )}
          {mode === 'kde' && (
            <Select
              value={radius}
              onChange={setRadius}
              style={{ width: 130 }}
              options={[200, 500, 1000].map((r, i) => ({ value: i, label: t('hotspots.radius', { m: r }) }))}
            />
          )}
          <Segmented
            value={kind}
            onChange={(v) => setKind(v as '' | 'event' | 'component')}
            options={[
              { value: '', label: t('hotspots.kind.all') },
              { value: 'event', label: t('hotspots.kind.event') },
              { value: 'component', label: t('hotspots.kind.component') },
            ]}
          />
          <Input
            allowClear
            placeholder={t('hotspots.category')}
            style={{ width: 150 }}
            value={categoryCode}
            onChange={(e) => setCategoryCode(e.target.value.trim())}
          />
        </Space>
      </Card>
      {active.isError && <Alert type="error" showIcon message={errorText(active.error)} />}
      <Row gutter={12}>
        <Col span={6}>
          <Card size="small">
            <Statistic title={t('hotspots.cases')} value={data?.caseCount ?? '—'} />
          </Card>
        </Col>
        {mode === 'emerging' ? (
          (['new', 'intensifying', 'persistent', 'fading'] as const).map((c) => (
            <Col span={4} key={c}>
              <Card size="small">
                <Statistic
                  title={<Tag color={CLASS_COLORS[c]}>{t(`hotspots.class.${c}`)}</Tag>}
                  value={emerging.data?.summary[c] ?? '—'}
                />
              </Card>
            </Col>
          ))
        ) : (
          <>
            {([99, 95, 90] as const).map((level) => (
              <Col span={4} key={level}>
                <Card size="small">
                  <Statistic
                    title={t('hotspots.hotAt', { level })}
                    value={hot.data?.summary.hot[level] ?? '—'}
                    valueStyle={{ color: level === 90 ? '#d6604d' : BIN_COLORS[level === 99 ? 3 : 2] }}
                  />
                </Card>
              </Col>
            ))}
            <Col span={6}>
              <Card size="small">
                <Statistic
                  title={t('hotspots.cold')}
                  value={
                    hot.data
                      ? hot.data.summary.cold[99] + hot.data.summary.cold[95] + hot.data.summary.cold[90]
                      : '—'
                  }
                  valueStyle={{ color: BIN_COLORS[-2] }}
                />
              </Card>
            </Col>
          </>
        )}
      </Row>
      <Row gutter={12}>
        <Col span={14}>
          <Card size="small" title={t(`hotspots.mapTitle.${mode}`)} extra={<Legend mode={mode} />}>
            <CityMap onReady={onReady} style={{ height: 560 }} />
          </Card>
        </Col>
        <Col span={10}>
          <Card size="small" title={t('hotspots.list')}>
            <Table<Cell | EmergingCell>
              data-testid="hotspots-table"
              size="small"
              rowKey="id"
              loading={active.isFetching}
              columns={columns}
              dataSource={rows}
              pagination={{ pageSize: 12, showSizeChanger: false }}
              onRow={(r) => ({ onClick: () => setCell(r.id), style: { cursor: 'pointer' } })}
            />
          </Card>
        </Col>
      </Row>
      <CellCasesDrawer
        cell={cell}
        onClose={() => setCell(null)}
        query={{
          ...params,
          from: mode === 'emerging' ? (emerging.data?.weeks[0]?.from ?? period.from) : period.from,
          to: period.to,
        }}
      />
    </Space>
  );
}

function boundsOf(fc: Hotspots['features']): [number, number, number, number] {
  const b: [number, number, number, number] = [180, 90, -180, -90];
  for (const f of fc.features)
    for (const [x, y] of f.geometry.coordinates[0] ?? []) {
      b[0] = Math.min(b[0], x!);
      b[1] = Math.min(b[1], y!);
      b[2] = Math.max(b[2], x!);
      b[3] = Math.max(b[3], y!);
    }
  return b;
}

function useColumns(mode: Mode, radius: number): ColumnsType<Cell | EmergingCell> {
  const { t } = useTranslation('evaluation');
  return useMemo(() => {
    const id = { title: t('hotspots.col.cell'), dataIndex: 'id', ellipsis: true };
    if (mode === 'emerging') {
      return [
        id,
        {
          title: t('hotspots.col.class'),
          dataIndex: 'class',
          width: 90,
          render: (c: EmergingCell['class']) => <Tag color={CLASS_COLORS[c]}>{t(`hotspots.class.${c}`)}</Tag>,
        },
        {
          title: t('hotspots.col.weekly'),
          dataIndex: 'counts',
          render: (c: number[]) => c.join(' · '),
        },
      ];
    }
    return [
      id,
      { title: t('hotspots.col.count'), dataIndex: 'count', width: 64 },
      { title: 'Gi* z', dataIndex: 'z', width: 72, render: (z: number) => z.toFixed(2) },
      {
        title: t('hotspots.col.significance'),
        dataIndex: 'bin',
        width: 96,
        render: (b: Cell['bin']) =>
          b === 0 ? (
            '—'
          ) : (
            <Tag color={BIN_COLORS[b]}>
              {t(b > 0 ? 'hotspots.hotAt' : 'hotspots.coldAt', { level: [90, 95, 99][Math.abs(b) - 1] })}
            </Tag>
          ),
      },
      ...(mode === 'kde'
        ? [
            {
              title: t('hotspots.col.density'),
              dataIndex: 'density',
              width: 96,
              render: (d: number[]) => (d[radius] ?? 0).toFixed(1),
            },
          ]
        : []),
    ];
  }, [mode, radius, t]);
}

function Legend({ mode }: { mode: Mode }) {
  const { t } = useTranslation('evaluation');
  const items: [string, string][] =
    mode === 'emerging'
      ? (['new', 'intensifying', 'persistent', 'fading', 'sporadic'] as const).map((c) => [
          CLASS_COLORS[c],
          t(`hotspots.class.${c}`),
        ])
      : mode === 'kde'
        ? [
            ['#fff5eb', t('hotspots.low')],
            ['#fd8d3c', ''],
            ['#7f2704', t('hotspots.high')],
          ]
        : ([3, 2, 1, -1, -2, -3] as const).map((b) => [
            BIN_COLORS[b],
            t(b > 0 ? 'hotspots.hotAt' : 'hotspots.coldAt', { level: [90, 95, 99][Math.abs(b) - 1] }),
          ]);
  return (
    <Space size={6} data-testid="hotspots-legend">
      {items.map(([color, label]) => (
        <span key={color} style={{ fontSize: 12 }}>
          <span
            style={{ display: 'inline-block', width: 12, height: 12, background: color, marginRight: 3 }}
          />
          {label}
        </span>
      ))}
    </Space>
  );
}
