/**
 * The field and citizen app (城管通 PWA) at /m/: supervisors (上报, 核实, 核查, 巡查), department
 * handlers (签收, 处置反馈, 申请) and citizens (公众参与, no login). Phone-first, Chinese by default.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider, DotLoading } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { SessionProvider, useSession } from './lib/session';
import { startSender } from './outbox/sender';
import { CasePage } from './pages/CasePage';
import { HandlerHome } from './pages/handler/HandlerHome';
import { LeaderHome } from './pages/LeaderHome';
import { LoginPage } from './pages/LoginPage';
import { PublicHome } from './pages/public/PublicHome';
import { SupervisorHome } from './pages/supervisor/SupervisorHome';
import { WrongRole } from './pages/WrongRole';

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: true, networkMode: 'always' } },
});

/**
 * Home by role: supervisors and department staff have their app, leaders a phone home with the
 * live numbers and the console's pages that work on a phone; everyone else the console.
 */
export function homeOf(role: string | undefined): string {
  if (role === 'supervisor') return '/s/report';
  if (role === 'handler' || role === 'department') return '/h/tasks';
  if (role === 'leader') return '/l';
  return '/other';
}

function Staff({ roles, children }: { roles: string[]; children: React.ReactNode }) {
  const { session, loading } = useSession();
  if (loading) return <Loading />;
  if (!session) return <Navigate to="/login" replace />;
  if (!roles.includes(session.user.role)) return <Navigate to={homeOf(session.user.role)} replace />;
  return <>{children}</>;
}

function Loading() {
  return (
    <div className="center-fill">
      <DotLoading color="primary" />
    </div>
  );
}

function Entry() {
  const { session, loading } = useSession();
  if (loading) return <Loading />;
  return <Navigate to={session ? homeOf(session.user.role) : '/login'} replace />;
}

function Routed() {
  const { i18n } = useTranslation();
  useEffect(() => {
    void startSender();
  }, []);
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN}>
      <Routes>
        <Route path="/" element={<Entry />} />
        <Route path="/login" element={<LoginPage />} />
        <Route path="/public/*" element={<PublicHome />} />
        <Route path="/other" element={<WrongRole />} />
        <Route
          path="/l"
          element={
            <Staff roles={['leader']}>
              <LeaderHome />
            </Staff>
          }
        />
        <Route
          path="/s/*"
          element={
            <Staff roles={['supervisor']}>
              <SupervisorHome />
            </Staff>
          }
        />
        <Route
          path="/h/*"
          element={
            <Staff roles={['handler', 'department']}>
              <HandlerHome />
            </Staff>
          }
        />
        <Route
          path="/case/:id"
          element={
            <Staff roles={['supervisor', 'handler', 'department']}>
              <CasePage />
            </Staff>
          }
        />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter basename="/m">
        <SessionProvider>
          <Routed />
        </SessionProvider>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
