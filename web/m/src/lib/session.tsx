/**
 * Who is logged in on this phone. The session is the server's cookie, as in the console; the
 * last answer of /auth/me is also kept locally so the app opens without signal and the outbox
 * still knows whose items it holds.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect, useMemo } from 'react';
import { ApiError, api, onUnauthenticated } from '../../../src/api/client';
import type { Session } from '../../../src/auth/session';
import { setOutboxUser } from '../outbox/sender';

const CACHE_KEY = 'cityloop.m.session';
const ME = ['auth', 'me'] as const;

interface MobileSession {
  session: Session | null;
  loading: boolean;
  /** True when the session shown is the remembered one (no answer from the server). */
  offline: boolean;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

const Ctx = createContext<MobileSession | null>(null);

function remembered(): Session | null {
  try {
    const raw = localStorage.getItem(CACHE_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

function remember(s: Session | null) {
  if (s) localStorage.setItem(CACHE_KEY, JSON.stringify(s));
  else localStorage.removeItem(CACHE_KEY);
}

async function fetchMe(): Promise<{ session: Session | null; offline: boolean }> {
  try {
    const session = await api<Session>('/auth/me');
    remember(session);
    return { session, offline: false };
  } catch (err) {
    if (err instanceof ApiError) {
      if (err.status === 401) remember(null);
      if (err.status === 401 || err.status === 403) return { session: null, offline: false };
    }
    // No answer (no signal): keep working as the user last seen here.
    return { session: remembered(), offline: true };
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const me = useQuery({ queryKey: ME, queryFn: fetchMe, staleTime: 5 * 60_000, retry: false });

  useEffect(
    () =>
      onUnauthenticated(() => {
        remember(null);
        qc.setQueryData(ME, { session: null, offline: false });
      }),
    [qc],
  );
  const username = me.data?.session?.user.username ?? null;
  useEffect(() => setOutboxUser(username), [username]);

  const value = useMemo<MobileSession>(
    () => ({
      session: me.data?.session ?? null,
      loading: me.isLoading,
      offline: me.data?.offline ?? false,
      async login(username, password) {
        await api('/auth/login', { body: { username, password, client: 'web' } });
        qc.removeQueries({ predicate: (q) => q.queryKey[0] !== ME[0] });
        qc.setQueryData(ME, await fetchMe());
      },
      async logout() {
        await api('/auth/logout', { method: 'POST' }).catch(() => {});
        remember(null);
        qc.removeQueries({ predicate: (q) => q.queryKey[0] !== ME[0] });
        qc.setQueryData(ME, { session: null, offline: false });
      },
    }),
    [me.data, me.isLoading, qc],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): MobileSession {
  const v = useContext(Ctx);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
