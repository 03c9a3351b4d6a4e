/**
 * The patrol track while on duty: fixes from watchPosition are collected and handed to the
 * outbox in batches (every 30 s or 20 fixes), so a street without signal loses no track.
 */
import { useEffect } from 'react';
import i18n from '../i18n';
import { addItem } from '../outbox/store';

const BATCH_MS = 30_000;
const BATCH_FIXES = 20;

interface PositionFix {
  at: string;
  lng: number;
  lat: number;
  accuracyM?: number;
  speed?: number;
  heading?: number;
  crs: 'wgs84';
}

export function usePatrolTrack(owner: string, onDuty: boolean): void {
  useEffect(() => {
    if (!onDuty || !('geolocation' in navigator)) return;
    let buffer: PositionFix[] = [];
    const flush = () => {
      if (buffer.length === 0) return;
      const positions = buffer;
      buffer = [];
      void addItem({
        owner,
        kind: 'positions',
        title: i18n.t('mobile:patrol.fixes', { n: positions.length }),
        path: '/patrol/positions',
        body: { positions },
      });
    };
    const watch = navigator.geolocation.watchPosition(
      (p) => {
        const c = p.coords;
        buffer.push({
          at: new Date(p.timestamp).toISOString(),
          lng: c.longitude,
          lat: c.latitude,
          accuracyM: Math.min(100_000, Math.round(c.accuracy)),
          ...(c.speed !== null && c.speed >= 0 && c.speed <= 100 ? { speed: c.speed } : {}),
          ...(c.heading !== null && !Number.isNaN(c.heading) && c.heading >= 0 && c.heading < 360
            ? { heading: c.heading }
            : {}),
          crs: 'wgs84',
        });
        if (buffer.length >= BATCH_FIXES) flush();
      },
      () => {
        // No fix (tunnel, permission withdrawn): the next one resumes the track.
      },
      { enableHighAccuracy: true, maximumAge: 5_000 },
    );
    const timer = setInterval(flush, BATCH_MS);
    return () => {
      navigator.geolocation.clearWatch(watch);
      clearInterval(timer);
      flush();
    };
  }, [owner, onDuty]);
}
