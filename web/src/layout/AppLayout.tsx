import { DownOutlined, KeyOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Drawer, Dropdown, Grid, Layout, Menu, Space, Spin, Typography } from 'antd';
import type { ItemType } from 'antd/es/menu/interface';
import { Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { type AppRoute, MENU_GROUPS } from '../app/route-types';
import { useSession } from '../auth/session';
import { DemoBanner } from '../demo/DemoBanner';
import { pick } from '../i18n';
import { HolidayBanner } from './HolidayBanner';
import { LanguageSwitch } from './LanguageSwitch';

/** The matching menu entry for a URL: the longest menu path that prefixes it. */
function selectedKey(pathname: string, entries: AppRoute[]): string | undefined {
  const path = pathname.replace(/^\//, '');
  return entries
    .map((r) => r.path)
    .filter((p) => path === p || path.startsWith(`${p}/`))
    .sort((a, b) => b.length - a.length)[0];
}

export function AppLayout({ routes }: { routes: AppRoute[] }) {
  const { t, i18n } = useTranslation();
  const { session, logout } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  // Below antd's md breakpoint (768 px): a phone, e.g. a leader looking in from outside.
  const screens = Grid.useBreakpoint();
  const phone = screens.md === false;
  const role = session?.user.role;

  const entries = useMemo(
    () => routes.filter((r) => r.menu && (!r.roles || (role && r.roles.includes(role)))),
    [routes, role],
  );

  const items: ItemType[] = MENU_GROUPS.flatMap((group) => {
    const inGroup = entries
      .filter((r) => r.menu?.group === group)
      .sort((a, b) => (a.menu?.order ?? 0) - (b.menu?.order ?? 0));
    if (!inGroup.length) return [];
    return [
      {
        type: 'group' as const,
        key: `g-${group}`,
        label: collapsed && !phone ? null : t(`menuGroup.${group}`),
        children: inGroup.map((r) => ({ key: r.path, icon: r.menu?.icon, label: t(r.menu?.label ?? '') })),
      },
    ];
  });

  const menu = (
    <>
      <div className="brand" title={t('appName')}>
        <img src="/favicon.svg" alt="" width={24} height={24} />
        {collapsed && !phone ? null : <span>{t('appShort')}</span>}
      </div>
      <div className="app-sider-menu">
        <Menu
          mode="inline"
          items={items}
          selectedKeys={[selectedKey(location.pathname, entries) ?? '']}
          onClick={(e) => {
            setDrawerOpen(false);
            navigate(`/${e.key}`);
          }}
          style={{ borderInlineEnd: 'none' }}
        />
      </div>
    </>
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {phone ? (
        // On a phone the menu is a drawer: the pages get the whole 390 px.
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={248}
          closable={false}
          styles={{ body: { padding: 0 } }}
          rootClassName="app-drawer"
        >
          {menu}
        </Drawer>
      ) : (
        <Layout.Sider
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          width={208}
          theme="light"
          className="app-sider"
          // Sticky, its menu scrolling above the collapse trigger (app.css): the admin menu is
          // longer than a laptop screen, and its last entries must never lie under the trigger.
          style={{ borderRight: '1px solid #f0f0f0', position: 'sticky', top: 0, height: '100vh' }}
        >
          {menu}
        </Layout.Sider>
      )}
      <Layout style={{ minWidth: 0 }}>
        <Layout.Header className="app-header">
          {phone ? (
            <Button
              type="text"
              icon={<MenuOutlined />}
              aria-label={t('menu.open')}
              data-testid="menu-open"
              onClick={() => setDrawerOpen(true)}
            />
          ) : null}
          <Typography.Text strong ellipsis className="app-title">
            {phone ? t('appShort') : t('login.title')}
          </Typography.Text>
          <Space>
            <LanguageSwitch />
            <Dropdown
              menu={{
                items: [
                  { key: 'password', icon: <KeyOutlined />, label: t('menu.password') },
                  { key: 'logout', icon: <LogoutOutlined />, label: t('menu.logout') },
                ],
                onClick: async (e) => {
                  if (e.key === 'password') navigate('/password');
                  else {
                    await logout();
                    navigate('/');
                  }
                },
              }}
            >
              <Button type="text" data-testid="user-menu">
                <UserOutlined /> {session?.user.displayName}
                {phone ? null : `（${pick(session?.roleName, i18n.language)}）`}
                <DownOutlined />
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        <HolidayBanner />
        <DemoBanner />
        <Layout.Content className="app-content">
          <Suspense fallback={<Spin style={{ display: 'block', marginTop: 80 }} />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
