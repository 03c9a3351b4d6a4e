/**
 * 监督指挥: the command view for leaders and the centre. A full-height city map of open cases
 * (server-clustered vector tiles coloured by the worst light), filters, a grid heat layer and
 * supervisors' last positions; the side panel shows live counts from the server's event stream.
 */

import { ExpandOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Tooltip, Typography } from 'antd';
import { type MapLayerMouseEvent, type Map as MlMap, NavigationControl } from 'maplibre-gl';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../api/client';
import { CityMap } from '../../map/CityMap';
import { useClientConfig } from '../../map/client-config';
import { addCaseLayers, CASE_CLUSTERS, CASE_POINTS, setCaseTiles } from '../../map/layers/cases';
import { addHeatLayers, setHeatCounts, setHeatVisible } from '../../map/layers/heat';
import {
  addSupervisorLayer,
  SUPERVISORS_LAYER,
  type SupervisorPosition,
  setSupervisors,
} from '../../map/layers/supervisors';
import './command.css';
import { useLiveFeed } from '../../api/live';
import { FilterBar } from './FilterBar';
import { type CommandFilters, filterQuery, tileQuery } from './filters';
import { LivePanel } from './LivePanel';
import { useMapPopups } from './popups';
import { useAlarmMarkers } from './useAlarmMarkers';

/** Case changes arrive at most once a second; tiles are refreshed once a burst settles. */
const TILE_REFRESH_DELAY_MS = 700;
const SUPERVISOR_REFRESH_MS = 30_000;

interface GridHeat {
  measure: 'open' | 'reported';
  total: number;
  max: number;
  counts: Record<string, number>;
}

export function CommandPage() {
  const { t } = useTranslation('command');
  const navigate = useNavigate();
  const [map, setMap] = useState<MlMap | null>(null);
  const [filters, setFilters] = useState<CommandFilters>({});
  const [heatOn, setHeatOn] = useState(false);
  const [rev, setRev] = useState<string | null>(null);
  const feed = useLiveFeed();
  const query = useMemo(() => filterQuery(filters), [filters]);
  const tiles = tileQuery(query, rev);
  const tilesRef = useRef(tiles);
  tilesRef.current = tiles;
  const shownTiles = useRef<string | null>(null);
  useAlarmMarkers(map, feed.lastAlarm);

  // A live change makes the case tiles stale: a new `rev` makes the browser fetch them again.
  useEffect(() => {
    if (feed.changes === 0) return;
    const timer = setTimeout(() => setRev(Date.now().toString(36)), TILE_REFRESH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [feed.changes]);

  useEffect(() => {
    if (!map || shownTiles.current === tiles) return;
    shownTiles.current = tiles;
    setCaseTiles(map, tiles);
  }, [map, tiles]);

  const supervisors = useQuery({
    queryKey: ['patrol', 'positions', 'latest'],
    queryFn: () => api<{ items: SupervisorPosition[] }>('/patrol/positions/latest'),
    refetchInterval: SUPERVISOR_REFRESH_MS,
    staleTime: 0,
  });
  useEffect(() => {
    if (map && supervisors.data) setSupervisors(map, supervisors.data.items);
  }, [map, supervisors.data]);

  const heat = useQuery({
    queryKey: ['map', 'heat', query, rev],
    queryFn: () => api<GridHeat>(`/map/heat/grids${query ? `?${query}` : ''}`),
    enabled: heatOn,
    placeholderData: (previous) => previous,
  });
  useEffect(() => {
    if (!map) return;
    setHeatVisible(map, heatOn);
    if (heatOn && heat.data) setHeatCounts(map, heat.data.counts);
  }, [map, heatOn, heat.data]);

  const config = useClientConfig();
  const bounds = config?.map.bounds;
  const popups = useMapPopups(navigate);
  const onReady = useCallback(
    (m: MlMap) => {
      // The whole city in view (the default zoom suits a smaller screen than the command view).
      if (bounds) m.fitBounds(bounds, { padding: 24, animate: false });
      m.addControl(new NavigationControl({ showCompass: false }), 'top-right');
      addHeatLayers(m);
      addCaseLayers(m, tilesRef.current);
      shownTiles.current = tilesRef.current;
      addSupervisorLayer(m);
      for (const id of [CASE_CLUSTERS, CASE_POINTS, SUPERVISORS_LAYER]) {
        m.on('mouseenter', id, () => {
          m.getCanvas().style.cursor = 'pointer';
        });
        m.on('mouseleave', id, () => {
          m.getCanvas().style.cursor = '';
        });
      }
      m.on('click', CASE_CLUSTERS, (e: MapLayerMouseEvent) => popups.current.cluster(m, e));
      m.on('click', CASE_POINTS, (e: MapLayerMouseEvent) => popups.current.point(m, e));
      m.on('click', SUPERVISORS_LAYER, (e: MapLayerMouseEvent) =>
        popups.current.supervisor(m, e, supervisorsRef.current),
      );
      setMap(m);
    },
    [popups, bounds],
  );
  const supervisorsRef = useRef<SupervisorPosition[]>([]);
  supervisorsRef.current = supervisors.data?.items ?? [];

  const locate = (s: SupervisorPosition) => {
    if (!map || !s.last) return;
    map.flyTo({ center: s.last.position.wgs84, zoom: Math.max(map.getZoom(), 15) });
    popups.current.showSupervisor(map, s);
  };

  const fitCity = () => {
    if (map && bounds) map.fitBounds(bounds, { padding: 24 });
  };

  return (
    <div className="command-page" data-testid="command-page">
      <FilterBar value={filters} onChange={setFilters} heat={heatOn} onHeat={setHeatOn} />
      <div className="command-body">
        <div className="command-map" data-tiles={tiles} data-heat={heatOn ? 'on' : 'off'}>
          <CityMap onReady={onReady} style={{ position: 'absolute', inset: 0 }} />
          {bounds ? (
            <Tooltip title={t('map.fitCity')} placement="right">
              <Button
                className="command-fit"
                size="small"
                icon={<ExpandOutlined />}
                aria-label={t('map.fitCity')}
                data-testid="fit-city"
                onClick={fitCity}
              />
            </Tooltip>
          ) : null}
          {heatOn ? (
            <div className="command-legend" data-testid="heat-legend" data-total={heat.data?.total ?? ''}>
              <Typography.Text strong>{t('heat.label')}</Typography.Text>
              <div className="command-legend-ramp" />
              <Typography.Text type="secondary">
                {heat.data
                  ? t('heat.summary', { total: heat.data.total, max: heat.data.max })
                  : t('heat.loading')}
              </Typography.Text>
            </div>
          ) : null}
        </div>
        <LivePanel
          feed={feed}
          supervisors={supervisors.data?.items}
          supervisorsLoading={supervisors.isLoading}
          onLocate={locate}
          onRefreshSupervisors={() => void supervisors.refetch()}
        />
      </div>
    </div>
  );
}
