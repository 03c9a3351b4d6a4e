/**
 * Who is logged in. The session lives in an httpOnly cookie set by the server, so the console
 * only asks `/auth/me`; a 401 anywhere drops back to the login page.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect, useMemo } from 'react';
import type { Permission, Role } from '../../../src/domain/access/permissions';
import { ApiError, api, onUnauthenticated } from '../api/client';

export type { Permission, Role };

export interface SessionUser {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  divisionCode: string | null;
  departmentId: number | null;
  scopePrefix: string;
  mustChangePassword: boolean;
}

export interface Session {
  user: SessionUser;
  roleName: { zh: string; en: string };
  permissions: Permission[];
}

interface SessionContext {
  session: Session | null;
  loading: boolean;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  refresh(): Promise<void>;
  can(permission: Permission): boolean;
}

const Ctx = createContext<SessionContext | null>(null);
const ME = ['auth', 'me'] as const;

async function fetchMe(): Promise<Session | null> {
  try {
    return await api<Session>('/auth/me');
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const me = useQuery({ queryKey: ME, queryFn: fetchMe, staleTime: 5 * 60_000, retry: false });

  useEffect(
    () =>
      onUnauthenticated(() => {
        qc.setQueryData(ME, null);
      }),
    [qc],
  );

  const value = useMemo<SessionContext>(() => {
    const session = me.data ?? null;
    return {
      session,
      loading: me.isLoading,
      async login(username, password) {
        await api('/auth/login', { body: { username, password, client: 'web' } });
        const me = await fetchMe();
        // Another user's cached data must not show; the session query itself stays observed.
        qc.removeQueries({ predicate: (q) => q.queryKey[0] !== ME[0] });
        qc.setQueryData(ME, me);
      },
      async logout() {
        await api('/auth/logout', { method: 'POST' }).catch(() => {});
        qc.removeQueries({ predicate: (q) => q.queryKey[0] !== ME[0] });
        qc.setQueryData(ME, null);
      },
      async refresh() {
        await qc.invalidateQueries({ queryKey: ME });
      },
      can: (permission) => !!session?.permissions.includes(permission),
    };
  }, [me.data, me.isLoading, qc]);

  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): SessionContext {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}

/** The logged-in user (only inside the authenticated layout). */
export function useUser(): SessionUser {
  const { session } = useSession();
  if (!session) throw new Error('useUser without a session');
  return session.user;
}
