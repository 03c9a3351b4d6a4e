/**
 * 指挥大屏: the command dashboard for the centre's wall, 1920×1080 without the console's chrome
 * and without scrolling. Today's counts and lights come from the live stream (the same counts as
 * the command view), the map shows open cases as the command view's vector tiles (local base map
 * only), and the trend, rankings and alarms come from GET /screen/summary, asked again shortly
 * after every case change heard.
 */
import { useQuery } from '@tanstack/react-query';
import type { Map as MlMap } from 'maplibre-gl';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../../api/client';
import { useLiveFeed } from '../../api/live';
import { CityMap } from '../../map/CityMap';
import { useClientConfig } from '../../map/client-config';
import { addCaseLayers, setCaseTiles } from '../../map/layers/cases';
import { ScreenChart, trendOption } from './ScreenChart';
import './screen.css';

interface Summary {
  today: string;
  days: { day: string; reported: number; closed: number }[];
  rankings: {
    title: string;
    districts: Ranked[];
    departments: Ranked[];
  } | null;
  alarms: { id: number; number: string; category: string; address: string; deadline: string | null }[];
}
interface Ranked {
  name: string;
  composite: number | null;
  grade: string | null;
  rank: number | null;
}

/** Case changes come in bursts: the summary and tiles are asked again once a burst settles. */
const SETTLE_MS = 1000;
const LIGHTS = [
  ['green', '#52c41a', '绿灯'],
  ['yellow', '#faad14', '黄灯'],
  ['red', '#f5222d', '红灯'],
] as const;

function Clock() {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(t);
  }, []);
  const text = now.toLocaleString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' });
  return <div className="screen-clock">{text}</div>;
}

function RankList({ rows, testId }: { rows: Ranked[]; testId: string }) {
  return (
    <ul className="screen-list" data-testid={testId}>
      {rows.map((r) => (
        <li key={`${r.rank}-${r.name}`}>
          <span className="name">
            {r.rank}. {r.name}
          </span>
          <span className="value">
            {r.composite === null ? '—' : r.composite.toFixed(1)} {r.grade ?? ''}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function BigScreen() {
  const feed = useLiveFeed();
  const [rev, setRev] = useState<string | null>(null);
  useEffect(() => {
    if (feed.changes === 0) return;
    const timer = setTimeout(() => setRev(Date.now().toString(36)), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [feed.changes]);
  const summary = useQuery({
    queryKey: ['screen', 'summary', rev],
    queryFn: () => api<Summary>('/screen/summary'),
    placeholderData: (previous) => previous,
    refetchInterval: 5 * 60_000,
  });
  const tiles = rev ? `rev=${rev}` : '';
  const tilesRef = useRef(tiles);
  tilesRef.current = tiles;
  const [map, setMap] = useState<MlMap | null>(null);
  useEffect(() => {
    if (map) setCaseTiles(map, tiles);
  }, [map, tiles]);
  const config = useClientConfig();
  const bounds = config?.map.bounds;
  const onReady = useCallback(
    (m: MlMap) => {
      if (bounds) m.fitBounds(bounds, { padding: 16, animate: false });
      addCaseLayers(m, tilesRef.current);
      setMap(m);
    },
    [bounds],
  );

  const c = feed.counts;
  const days = summary.data?.days ?? [];
  const week = useMemo(() => trendOption(days.slice(-7)), [days]);
  const month = useMemo(() => trendOption(days), [days]);
  const kpis = [
    ['reportedToday', '今日上报', c?.reportedToday],
    ['closedToday', '今日结案', c?.closedToday],
    ['open', '在办案件', c?.open],
    ['overdue', '超时案件', c?.overdue],
  ] as const;

  return (
    <div className="screen-page" data-testid="screen-page" data-feed={feed.state}>
      <header className="screen-header">
        <div className="screen-title">城市管理指挥大屏</div>
        <div className="screen-feed" data-testid="screen-feed">
          {feed.state === 'live' ? '● 实时' : feed.state === 'polling' ? '○ 轮询' : '…'}
        </div>
        <Clock />
      </header>
      <section className="screen-left">
        <div className="screen-panel">
          <h2>今日态势</h2>
          <div className="screen-kpis">
            {kpis.map(([key, label, value]) => (
              <div className="screen-kpi" key={key}>
                <div className="screen-kpi-label">{label}</div>
                <div className="screen-kpi-value" data-testid={`screen-${key}`}>
                  {value ?? '—'}
                </div>
              </div>
            ))}
          </div>
        </div>
        <div className="screen-panel">
          <h2>在办案件灯色</h2>
          <div className="screen-lights">
            {LIGHTS.map(([key, color, label]) => (
              <div className="screen-light" key={key}>
                <div className="screen-light-value" data-testid={`screen-light-${key}`}>
                  {c?.byLight[key] ?? '—'}
                </div>
                <div className="screen-light-label">
                  <span className="screen-light-dot" style={{ background: color }} />
                  {label}
                </div>
              </div>
            ))}
          </div>
        </div>
        <div className="screen-panel" style={{ flex: 1 }}>
          <h2>近 7 日趋势</h2>
          <ScreenChart option={week} testId="screen-trend-7" />
        </div>
      </section>
      <section className="screen-map" data-testid="screen-map" data-tiles={tiles}>
        <CityMap
          onReady={onReady}
          style={{ position: 'absolute', inset: 0 }}
          options={{ interactive: false, attributionControl: false }}
        />
      </section>
      <section className="screen-panel screen-trend">
        <h2>近 30 日上报与结案</h2>
        <ScreenChart option={month} testId="screen-trend-30" />
      </section>
      <section className="screen-right">
        <div className="screen-panel">
          <h2>区综合评价排名</h2>
          {summary.data?.rankings ? (
            <RankList rows={summary.data.rankings.districts} testId="screen-rank-districts" />
          ) : (
            <div className="screen-empty">暂无已发布的评价</div>
          )}
        </div>
        <div className="screen-panel">
          <h2>专业部门排名（前 6）</h2>
          {summary.data?.rankings ? (
            <RankList rows={summary.data.rankings.departments} testId="screen-rank-departments" />
          ) : (
            <div className="screen-empty">暂无已发布的评价</div>
          )}
        </div>
        <div className="screen-panel" style={{ flex: 1 }}>
          <h2 className="screen-alarm">超时告警</h2>
          <ul className="screen-list" data-testid="screen-alarms">
            {(summary.data?.alarms ?? []).map((a) => (
              <li key={a.id}>
                <span className="name">
                  {a.category} · {a.address}
                </span>
              </li>
            ))}
          </ul>
          {summary.data && summary.data.alarms.length === 0 ? <div className="screen-empty">无</div> : null}
        </div>
      </section>
    </div>
  );
}
