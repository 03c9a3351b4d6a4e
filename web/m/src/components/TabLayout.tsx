/** A page with a title bar, a scrolling body and the app's bottom tab bar (routes under a base). */
import { Badge, NavBar, TabBar } from 'antd-mobile';
import type { ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { OfflineBar } from './OfflineBar';

export interface Tab {
  key: string;
  title: string;
  icon: ReactNode;
  badge?: number;
}

export function TabLayout({
  title,
  tabs,
  base,
  right,
  children,
}: {
  title: string;
  tabs: Tab[];
  base: string;
  right?: ReactNode;
  children: ReactNode;
}) {
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const active = tabs.find((t) => pathname.startsWith(`${base}/${t.key}`))?.key ?? tabs[0]?.key;
  return (
    <div className="app-frame">
      <NavBar back={null} right={right}>
        {title}
      </NavBar>
      <OfflineBar />
      <div className="app-body">{children}</div>
      <TabBar activeKey={active} onChange={(key) => navigate(`${base}/${key}`)} safeArea>
        {tabs.map((t) => (
          <TabBar.Item
            key={t.key}
            title={t.title}
            data-testid={`tab-${t.key}`}
            icon={t.badge ? <Badge content={t.badge}>{t.icon}</Badge> : t.icon}
          />
        ))}
      </TabBar>
    </div>
  );
}
