/**
 * The live feed (command view, work queues): EventSource('/api/v1/live/stream') delivers `counts` (at once
 * and whenever they change) and `case` (one per visible change). If the stream fails the view
 * falls back to polling /live/counts until the stream (which EventSource retries) is back.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from './client';

/** GET /live/counts and the stream's `counts` event (src/modules/live/counts.ts). */
export interface LiveCounts {
  open: number;
  byLight: { green: number; yellow: number; red: number; none: number };
  byStatus: Record<string, number>;
  reportedToday: number;
  closedToday: number;
  overdue: number;
  since: string;
}

/** The stream's `case` event. */
export interface LiveCaseEvent {
  id: number;
  number: string;
  status: string;
  light: 'green' | 'yellow' | 'red' | null;
  action: string | null;
}

/** The stream's `alarm` event: a sensor alarm opened or joined a case (src/modules/live/hub.ts). */
export interface LiveAlarmEvent {
  caseId: number;
  number: string;
  componentCode: string | null;
  lng: number;
  lat: number;
  description: string;
  opened: boolean;
}

export type FeedState = 'connecting' | 'live' | 'polling' | 'ended';

const POLL_MS = 15_000;

export interface LiveFeed {
  counts: LiveCounts | undefined;
  state: FeedState;
  /** The latest case change heard (to refresh tiles and lists). */
  lastCase: LiveCaseEvent | null;
  /** Increases with every case change heard. */
  changes: number;
  /** The latest sensor alarm heard (the command map marks it, the shift leader is alerted). */
  lastAlarm: LiveAlarmEvent | null;
}

export function useLiveFeed(): LiveFeed {
  const [state, setState] = useState<FeedState>('connecting');
  const [streamed, setStreamed] = useState<LiveCounts>();
  const [lastCase, setLastCase] = useState<LiveCaseEvent | null>(null);
  const [changes, setChanges] = useState(0);
  const [lastAlarm, setLastAlarm] = useState<LiveAlarmEvent | null>(null);

  useEffect(() => {
    const source = new EventSource('/api/v1/live/stream');
    source.addEventListener('counts', (e) => {
      setStreamed(JSON.parse((e as MessageEvent<string>).data) as LiveCounts);
      setState('live');
    });
    source.addEventListener('case', (e) => {
      setLastCase(JSON.parse((e as MessageEvent<string>).data) as LiveCaseEvent);
      setChanges((n) => n + 1);
    });
    source.addEventListener('alarm', (e) => {
      setLastAlarm(JSON.parse((e as MessageEvent<string>).data) as LiveAlarmEvent);
    });
    // The server ends the stream when the session is gone; the next API call shows the login.
    source.addEventListener('end', () => {
      source.close();
      setState('ended');
    });
    // EventSource retries by itself (the server asks for 5 s); meanwhile the counts are polled.
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) setState('ended');
      else setState('polling');
    };
    return () => source.close();
  }, []);

  const polled = useQuery({
    queryKey: ['live', 'counts'],
    queryFn: () => api<LiveCounts>('/live/counts'),
    enabled: state !== 'live',
    refetchInterval: state === 'live' ? false : POLL_MS,
  });

  return {
    counts: state === 'live' ? (streamed ?? polled.data) : (polled.data ?? streamed),
    state,
    lastCase,
    changes,
    lastAlarm,
  };
}
