/**
 * Click popups of the command map: a cluster shows its count (and zooms in), a case its number,
 * state and light with a link to the case, a supervisor their name, duty and minutes since the
 * last fix. Built from DOM nodes (never HTML strings: names come from data).
 */
import { type MapLayerMouseEvent, type Map as MlMap, Popup } from 'maplibre-gl';
import { type RefObject, useRef } from 'react';
import type { NavigateFunction } from 'react-router';
import { type CaseState, STATE_LABELS } from '../../../../src/domain/workflow/states';
import i18n, { pick } from '../../i18n';
import type { SupervisorPosition } from '../../map/layers/supervisors';

const t = (key: string, options?: Record<string, unknown>) => i18n.t(`command:${key}`, options ?? {});

function el(tag: string, text?: string, className?: string): HTMLElement {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

export interface MapPopups {
  cluster(map: MlMap, e: MapLayerMouseEvent): void;
  point(map: MlMap, e: MapLayerMouseEvent): void;
  supervisor(map: MlMap, e: MapLayerMouseEvent, items: readonly SupervisorPosition[]): void;
  showSupervisor(map: MlMap, s: SupervisorPosition): void;
}

export function useMapPopups(navigate: NavigateFunction): RefObject<MapPopups> {
  const navigateRef = useRef(navigate);
  navigateRef.current = navigate;
  const popup = useRef<Popup | null>(null);

  const open = (map: MlMap, at: [number, number], content: HTMLElement, testId: string) => {
    popup.current?.remove();
    content.dataset.testid = testId;
    popup.current = new Popup({ closeButton: true, maxWidth: '260px' })
      .setLngLat(at)
      .setDOMContent(content)
      .addTo(map);
  };

  const api = useRef<MapPopups>({
    cluster(map, e) {
      const f = e.features?.[0];
      if (!f) return;
      const count = Number(f.properties.count);
      const box = el('div', undefined, 'command-popup');
      box.append(el('strong', t('popup.cluster', { count })));
      box.append(el('div', t('popup.zoomHint'), 'command-popup-muted'));
      open(map, [e.lngLat.lng, e.lngLat.lat], box, 'popup-cluster');
      map.easeTo({ center: e.lngLat, zoom: Math.min(map.getZoom() + 2, 18) });
    },
    point(map, e) {
      const f = e.features?.[0];
      if (!f) return;
      const p = f.properties as {
        id: number;
        number: string;
        state: string;
        light?: string;
        urgency: string;
      };
      const box = el('div', undefined, 'command-popup');
      box.append(el('strong', p.number));
      const state = pick(STATE_LABELS[p.state as CaseState], i18n.language) || p.state;
      const line = el('div');
      line.append(el('span', '', `light ${p.light ? `light-${p.light}` : ''}`));
      line.append(document.createTextNode(` ${state} · ${t(`light.${p.light ?? 'none'}`)}`));
      box.append(line);
      const link = el('a', t('popup.open')) as HTMLAnchorElement;
      link.href = `/cases/${p.id}`;
      link.dataset.testid = 'popup-case-link';
      link.addEventListener('click', (ev) => {
        ev.preventDefault();
        navigateRef.current(`/cases/${p.id}`);
      });
      box.append(link);
      open(map, [e.lngLat.lng, e.lngLat.lat], box, 'popup-case');
    },
    supervisor(map, e, items) {
      const id = Number(e.features?.[0]?.properties.userId);
      const s = items.find((x) => x.user.id === id);
      if (s) api.current.showSupervisor(map, s);
    },
    showSupervisor(map, s) {
      if (!s.last) return;
      const box = el('div', undefined, 'command-popup');
      box.append(el('strong', s.user.name));
      box.append(el('div', s.onDuty ? t('supervisors.onDuty') : t('supervisors.offDuty')));
      box.append(el('div', t('supervisors.minutesAgo', { count: s.last.minutesAgo }), 'command-popup-muted'));
      open(map, s.last.position.wgs84, box, 'popup-supervisor');
    },
  });
  return api;
}
