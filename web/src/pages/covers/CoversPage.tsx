/**
 * 井盖专项: the dashboard by cover type × owner (open, overdue, average repair time, repeat
 * covers), the covers of the current view on the map coloured by state, and the open flows
 * with an overdue step. No text labels on the map: it has no glyphs offline.
 */
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CoverState, EmergencyStep } from '../../../../src/domain/covers/emergency';
import { api } from '../../api/client';
import { CityMap } from '../../map/CityMap';
import { type LegendItem, MapLegend } from '../../map/MapLegend';

interface Cell {
  type: string;
  typeLabel: string;
  owner: string;
  ownerName: string;
  open: number;
  overdue: number;
  averageRepairMinutes: number | null;
  repeatCovers: number;
}
interface Dashboard {
  from: string;
  to: string;
  repeatWindowDays: number;
  flows: number;
  cells: Cell[];
  totals: { open: number; overdue: number; repeatCovers: number };
}
interface CoverMap {
  type: 'FeatureCollection';
  total: number;
  truncated: boolean;
  counts: Record<CoverState, number>;
  features: Array<{ properties: { componentId: string; state: CoverState } }>;
}
interface Flow {
  caseId: number;
  caseNumber: string;
  componentId: string;
  componentName: string;
  owner: { name: string };
  defectLabel: string;
  noticedAt: string;
  next: EmergencyStep | null;
  overdue: EmergencyStep[];
}

export const STATE_COLOURS: Record<CoverState, string> = {
  normal: '#52c41a',
  open: '#1677ff',
  made_safe: '#faad14',
  overdue: '#f5222d',
};
const STATES = Object.keys(STATE_COLOURS) as CoverState[];
const MAP_LIMIT = 5000;

function useCoverMap() {
  const mapRef = useRef<MlMap | null>(null);
  const [bbox, setBbox] = useState<string | null>(null);
  const onReady = useCallback((map: MlMap) => {
    map.addSource('covers', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({
      id: 'covers-points',
      type: 'circle',
      source: 'covers',
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 2.5, 15, 5, 18, 8],
        'circle-color': [
          'match',
          ['get', 'state'],
          'overdue',
          STATE_COLOURS.overdue,
          'made_safe',
          STATE_COLOURS.made_safe,
          'open',
          STATE_COLOURS.open,
          STATE_COLOURS.normal,
        ],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 12, 0.3, 16, 1.2],
      },
    });
    // Covers in a flow drawn above the normal ones, and larger, so none hides under the green.
    map.addLayer({
      id: 'covers-alert',
      type: 'circle',
      source: 'covers',
      filter: ['!=', ['get', 'state'], 'normal'],
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 5, 16, 9],
        'circle-color': [
          'match',
          ['get', 'state'],
          'overdue',
          STATE_COLOURS.overdue,
          'made_safe',
          STATE_COLOURS.made_safe,
          STATE_COLOURS.open,
        ],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.5,
      },
    });
    const update = () => {
      const b = map.getBounds();
      setBbox([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((x) => x.toFixed(5)).join(','));
    };
    map.on('moveend', update);
    mapRef.current = map;
    update();
  }, []);
  const covers = useQuery({
    queryKey: ['covers', 'map', bbox],
    queryFn: () => api<CoverMap>(`/covers/map?bbox=${bbox}&limit=${MAP_LIMIT}`),
    enabled: bbox !== null,
  });
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !covers.data) return;
    (map.getSource('covers') as GeoJSONSource | undefined)?.setData(covers.data as never);
    const el = map.getContainer();
    el.dataset.covers = String(covers.data.features.length);
    el.dataset.overdue = String(covers.data.counts.overdue);
  }, [covers.data]);
  return { onReady, data: covers.data };
}

export function CoversPage() {
  const { t, i18n } = useTranslation('covers');
  const board = useQuery({
    queryKey: ['covers', 'dashboard'],
    queryFn: () => api<Dashboard>('/covers/dashboard'),
  });
  const late = useQuery({
    queryKey: ['covers', 'flows', 'overdue'],
    queryFn: () => api<{ total: number; items: Flow[] }>('/covers/flows?overdue=true&open=true&limit=50'),
  });
  const { onReady, data: mapData } = useCoverMap();
  const legend: LegendItem[] = STATES.map((s) => ({
    label: t(`states.${s}`),
    colour: STATE_COLOURS[s],
    shape: 'dot',
  }));
  const days = board.data
    ? Math.round((Date.parse(board.data.to) - Date.parse(board.data.from)) / 86_400_000)
    : 30;
  const minutes = (n: number | null) => (n === null ? '—' : t('minutes', { n }));

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="covers-page">
      <Card
        size="small"
        title={t('title')}
        extra={
          <Typography.Text type="secondary">
            {t('period', { days, window: board.data?.repeatWindowDays ?? 30 })}
          </Typography.Text>
        }
      >
        <Row gutter={16}>
          <Col span={6}>
            <Statistic title={t('flows')} value={board.data?.flows ?? 0} />
          </Col>
          <Col span={6}>
            <Statistic
              title={t('open')}
              value={board.data?.totals.open ?? 0}
              valueStyle={{ color: STATE_COLOURS.open }}
            />
          </Col>
          <Col span={6}>
            <Statistic
              title={t('overdue')}
              value={board.data?.totals.overdue ?? 0}
              valueStyle={{ color: STATE_COLOURS.overdue }}
            />
          </Col>
          <Col span={6}>
            <Statistic title={t('repeat')} value={board.data?.totals.repeatCovers ?? 0} />
          </Col>
        </Row>
      </Card>
      <Row gutter={12}>
        <Col xs={24} xl={11}>
          <Card size="small" title={`${t('type')} × ${t('owner')}`}>
            <Table<Cell>
              data-testid="covers-dashboard"
              size="small"
              rowKey={(c) => `${c.type}-${c.owner}`}
              loading={board.isLoading}
              dataSource={board.data?.cells ?? []}
              pagination={false}
              locale={{ emptyText: t('none') }}
              columns={[
                { title: t('type'), dataIndex: 'typeLabel' },
                { title: t('owner'), dataIndex: 'ownerName' },
                { title: t('open'), dataIndex: 'open', align: 'right' },
                {
                  title: t('overdue'),
                  dataIndex: 'overdue',
                  align: 'right',
                  render: (n: number) => (n > 0 ? <Tag color="red">{n}</Tag> : n),
                },
                {
                  title: t('averageRepair'),
                  dataIndex: 'averageRepairMinutes',
                  align: 'right',
                  render: minutes,
                },
                { title: t('repeat'), dataIndex: 'repeatCovers', align: 'right' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={13}>
          <Card
            size="small"
            title={t('map')}
            extra={
              mapData ? (
                <Space size={4} data-testid="covers-map-counts">
                  {STATES.map((s) => (
                    <Tag key={s} color={STATE_COLOURS[s]}>
                      {t(`states.${s}`)} {mapData.counts[s]}
                    </Tag>
                  ))}
                  <Typography.Text type="secondary">
                    {t('shown', { n: mapData.features.length, total: mapData.total })}
                  </Typography.Text>
                </Space>
              ) : null
            }
          >
            <CityMap onReady={onReady} style={{ height: 460 }}>
              <MapLegend lang={i18n.language} extra={legend} />
            </CityMap>
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('overdueFlows')}>
        <Table<Flow>
          data-testid="covers-overdue"
          size="small"
          rowKey="caseId"
          loading={late.isLoading}
          dataSource={late.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: t('none') }}
          columns={[
            {
              title: t('case'),
              dataIndex: 'caseNumber',
              render: (n: string, f) => <Link to={`/cases/${f.caseId}`}>{n}</Link>,
            },
            {
              title: t('cover'),
              dataIndex: 'componentName',
              render: (n: string, f) => `${n} ${f.componentId}`,
            },
            { title: t('owner'), render: (_: unknown, f) => f.owner.name },
            { title: t('defect'), dataIndex: 'defectLabel' },
            {
              title: t('noticed'),
              dataIndex: 'noticedAt',
              render: (s: string) => new Date(s).toLocaleString(),
            },
            {
              title: t('next'),
              dataIndex: 'next',
              render: (s: EmergencyStep | null) => (s ? t(`steps.${s}`) : '—'),
            },
            {
              title: t('late'),
              dataIndex: 'overdue',
              render: (steps: EmergencyStep[]) =>
                steps.map((s) => (
                  <Tag key={s} color="red">
                    {t(`steps.${s}`)}
                  </Tag>
                )),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
