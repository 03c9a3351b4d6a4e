import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Result, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { Suspense, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { ApiError } from '../api/client';
import { SessionProvider, useSession } from '../auth/session';
import { AppLayout } from '../layout/AppLayout';
import { ChangePasswordPage } from '../pages/ChangePassword';
import { LoginPage } from '../pages/Login';
import { BigScreen, SCREEN_ROLES } from '../pages/screen/routes';
import { ALL_ROUTES } from './routes';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      // A 4xx will not get better by asking again.
      retry: (count, err) => !(err instanceof ApiError && err.status < 500) && count < 2,
    },
  },
});

function Forbidden() {
  const { t } = useTranslation();
  return <Result status="403" title="403" subTitle={t('forbidden')} />;
}

function NotFound() {
  const { t } = useTranslation();
  return <Result status="404" title="404" subTitle={t('notFound')} />;
}

function Shell() {
  const { session, loading } = useSession();
  if (loading) return <Spin fullscreen />;
  if (!session) return <LoginPage />;
  if (session.user.mustChangePassword) return <ChangePasswordPage forced />;
  const role = session.user.role;
  const home = ALL_ROUTES.find((r) => r.homeFor?.includes(role)) ?? ALL_ROUTES.find((r) => !r.roles);
  return (
    <Routes>
      {/* The wall's dashboard: outside the console's chrome. */}
      <Route
        path="screen"
        element={
          SCREEN_ROLES.includes(role) ? (
            <Suspense fallback={<Spin fullscreen />}>
              <BigScreen />
            </Suspense>
          ) : (
            <Forbidden />
          )
        }
      />
      <Route element={<AppLayout routes={ALL_ROUTES} />}>
        <Route index element={home ? <Navigate to={`/${home.path}`} replace /> : <NotFound />} />
        <Route path="password" element={<ChangePasswordPage />} />
        {ALL_ROUTES.map((r) => (
          <Route
            key={r.path}
            path={r.path}
            element={!r.roles || r.roles.includes(role) ? r.element : <Forbidden />}
          />
        ))}
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

const REDUCED_MOTION = '(prefers-reduced-motion: reduce)';
const subscribeMotion = (onChange: () => void) => {
  const query = window.matchMedia(REDUCED_MOTION);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
};
/** The system's "reduce motion" setting: dialogs, menus and drawers then appear without animation. */
const useReducedMotion = () =>
  useSyncExternalStore(subscribeMotion, () => window.matchMedia(REDUCED_MOTION).matches);

export function App() {
  const { i18n } = useTranslation();
  const en = i18n.language === 'en';
  dayjs.locale(en ? 'en' : 'zh-cn');
  const reducedMotion = useReducedMotion();
  return (
    <ConfigProvider
      locale={en ? enUS : zhCN}
      theme={{ token: { colorPrimary: '#1677ff', borderRadius: 4, motion: !reducedMotion } }}
    >
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <SessionProvider>
              <Shell />
            </SessionProvider>
          </BrowserRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
