/**
 * Sensor alarms on the command map as they happen: a pulsing marker at the component and an
 * alert with a link to the case (the shift leader watches this view).
 */
import { App, Button } from 'antd';
import { Marker, type Map as MlMap } from 'maplibre-gl';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { LiveAlarmEvent } from '../../api/live';

/** Markers kept on the map (the oldest go first). */
const MAX_MARKERS = 200;

export function useAlarmMarkers(map: MlMap | null, alarm: LiveAlarmEvent | null) {
  const { t } = useTranslation('command');
  const { notification } = App.useApp();
  const navigate = useNavigate();
  const markers = useRef(new Map<number, Marker>());

  useEffect(() => {
    if (!alarm || !map) return;
    const shown = markers.current;
    if (!shown.has(alarm.caseId)) {
      const el = document.createElement('div');
      el.className = 'iot-alarm-marker';
      el.title = `${alarm.number} ${alarm.description}`;
      el.dataset.case = String(alarm.caseId);
      shown.set(alarm.caseId, new Marker({ element: el }).setLngLat([alarm.lng, alarm.lat]).addTo(map));
      if (shown.size > MAX_MARKERS) {
        const [oldest] = shown.keys();
        if (oldest !== undefined) {
          shown.get(oldest)?.remove();
          shown.delete(oldest);
        }
      }
    }
    notification.warning({
      key: `iot-alarm-${alarm.caseId}`,
      title: t('alarm.title'),
      description: t(alarm.opened ? 'alarm.opened' : 'alarm.again', {
        number: alarm.number,
        text: alarm.description,
      }),
      actions: (
        <Button size="small" type="primary" onClick={() => navigate(`/cases/${alarm.caseId}`)}>
          {t('alarm.open')}
        </Button>
      ),
      placement: 'topRight',
      duration: 10,
    });
  }, [alarm, map, notification, navigate, t]);

  useEffect(() => {
    const shown = markers.current;
    return () => {
      for (const m of shown.values()) m.remove();
      shown.clear();
    };
  }, []);
}
