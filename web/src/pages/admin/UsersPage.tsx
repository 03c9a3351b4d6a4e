/** 用户与角色: accounts with filters, create, password reset and lock/unlock. */
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Input, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLE_NAMES, type Role } from '../../../../src/domain/access/permissions';
import { api } from '../../api/client';
import { useShowError } from '../../components/errors';
import { pick } from '../../i18n';
import { STAFF_ROLES, useDepartments, useDivisions } from './org-data';
import { AdminPage, useExportXlsx } from './shared';
import { OneTimePassword, UserCreateModal } from './UserCreateModal';

export interface UserView {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  divisionCode: string | null;
  departmentId: number | null;
  phone: string | null;
  locked: boolean;
  disabled: boolean;
  createdAt: string;
}

const PAGE = 20;

export function UsersPage() {
  const { t, i18n } = useTranslation('admin');
  const { message } = App.useApp();
  const showError = useShowError();
  const qc = useQueryClient();
  const exportXlsx = useExportXlsx();
  const [role, setRole] = useState<Role | undefined>();
  const [unit, setUnit] = useState<string | undefined>();
  const [text, setText] = useState('');
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ name: string; password: string } | null>(null);
  const divisions = useDivisions();
  const departments = useDepartments();

  const filters = {
    role,
    q: text || undefined,
    divisionCode: unit?.startsWith('v:') ? unit.slice(2) : undefined,
    departmentId: unit?.startsWith('d:') ? unit.slice(2) : undefined,
  };
  const users = useQuery({
    queryKey: ['admin', 'users', filters, page],
    queryFn: () =>
      api<{ items: UserView[]; total: number }>('/users', {
        query: { ...filters, limit: PAGE, offset: (page - 1) * PAGE },
      }),
    placeholderData: keepPreviousData,
  });

  const divisionName = useMemo(
    () => new Map((divisions.data ?? []).map((d) => [d.code, d.name])),
    [divisions.data],
  );
  const deptName = useMemo(
    () => new Map((departments.data ?? []).map((d) => [d.id, d.name])),
    [departments.data],
  );
  const unitOf = (u: UserView) =>
    u.departmentId !== null
      ? (deptName.get(u.departmentId) ?? '')
      : (divisionName.get(u.divisionCode ?? '') ?? u.divisionCode ?? '');
  const unitOptions = [
    ...(divisions.data ?? [])
      .filter((d) => d.level !== 'community')
      .map((d) => ({ value: `v:${d.code}`, label: d.name })),
    ...(departments.data ?? []).map((d) => ({ value: `d:${d.id}`, label: d.name })),
  ];
  const roleName = (r: Role) => pick(ROLE_NAMES[r], i18n.language);
  const stateOf = (u: UserView) =>
    u.disabled ? t('users.disabled') : u.locked ? t('users.locked') : t('users.normal');

  const act = useMutation({
    mutationFn: ({ u, action }: { u: UserView; action: 'reset-password' | 'disable' | 'enable' }) =>
      api<{ temporaryPassword?: string }>(`/users/${u.id}/${action}`, { method: 'POST' }),
    onSuccess: async (res, { u, action }) => {
      if (action === 'reset-password' && res.temporaryPassword)
        setSecret({ name: u.displayName, password: res.temporaryPassword });
      else void message.success(t(action === 'disable' ? 'users.disable' : 'users.enable'));
      await qc.invalidateQueries({ queryKey: ['admin', 'users'] });
    },
    onError: showError,
  });

  const exportAll = async () => {
    const rows: UserView[] = [];
    for (let offset = 0; ; offset += 200) {
      const res = await api<{ items: UserView[]; total: number }>('/users', {
        query: { ...filters, limit: 200, offset },
      });
      rows.push(...res.items);
      if (rows.length >= res.total || res.items.length === 0) break;
    }
    await exportXlsx(
      t('users.exportTitle'),
      ['username', 'displayName', 'role', 'unit', 'phone', 'state'].map((key) => ({
        key,
        title: t(key === 'unit' ? 'users.orgUnit' : key === 'state' ? 'users.state' : `users.${key}`),
      })),
      rows.map((u) => ({ ...u, role: roleName(u.role), unit: unitOf(u), state: stateOf(u) })),
    );
  };

  return (
    <AdminPage
      title={t('menu.users')}
      extra={
        <Space>
          <Button
            size="small"
            icon={<DownloadOutlined />}
            data-testid="action-export"
            onClick={() => void exportAll().catch(showError)}
          >
            {t('common:action.export')}
          </Button>
          <Button
            size="small"
            type="primary"
            icon={<PlusOutlined />}
            data-testid="action-new-user"
            onClick={() => setCreating(true)}
          >
            {t('users.newUser')}
          </Button>
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          data-testid="filter-role"
          allowClear
          placeholder={t('users.allRoles')}
          style={{ width: 170 }}
          value={role}
          onChange={(v) => {
            setRole(v);
            setPage(1);
          }}
          options={STAFF_ROLES.map((r) => ({ value: r, label: roleName(r) }))}
        />
        <Select
          data-testid="filter-unit"
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('users.allUnits')}
          style={{ width: 220 }}
          value={unit}
          onChange={(v) => {
            setUnit(v);
            setPage(1);
          }}
          options={unitOptions}
        />
        <Input.Search
          data-testid="filter-text"
          allowClear
          placeholder={`${t('users.username')} / ${t('users.displayName')}`}
          style={{ width: 220 }}
          onSearch={(v) => {
            setText(v.trim());
            setPage(1);
          }}
        />
      </Space>
      <Table<UserView>
        data-testid="user-table"
        size="small"
        rowKey="id"
        loading={users.isFetching}
        dataSource={users.data?.items}
        pagination={{
          current: page,
          pageSize: PAGE,
          total: users.data?.total,
          onChange: setPage,
          showSizeChanger: false,
          showTotal: (n) => t('common:total', { count: n }),
        }}
        columns={[
          { title: t('users.username'), dataIndex: 'username', width: 140 },
          { title: t('users.displayName'), dataIndex: 'displayName', width: 110 },
          { title: t('users.role'), width: 150, render: (_, u) => roleName(u.role) },
          { title: t('users.orgUnit'), render: (_, u) => unitOf(u) },
          { title: t('users.phone'), dataIndex: 'phone', width: 130 },
          {
            title: t('users.state'),
            width: 170,
            render: (_, u) =>
              u.disabled ? (
                <Tag color="red" data-testid="state-disabled">
                  {t('users.disabled')}
                </Tag>
              ) : u.locked ? (
                <Tag color="orange">{t('users.locked')}</Tag>
              ) : (
                <Tag color="green">{t('users.normal')}</Tag>
              ),
          },
          {
            title: t('common.actions'),
            width: 170,
            render: (_, u) => (
              <Space size={0}>
                <Popconfirm
                  title={t('users.resetConfirm', { name: u.displayName })}
                  onConfirm={() => act.mutate({ u, action: 'reset-password' })}
                >
                  <Button size="small" type="link" data-testid="action-reset-password">
                    {t('users.resetPassword')}
                  </Button>
                </Popconfirm>
                {u.disabled || u.locked ? (
                  <Popconfirm
                    title={t('users.enableConfirm', { name: u.displayName })}
                    onConfirm={() => act.mutate({ u, action: 'enable' })}
                  >
                    <Button size="small" type="link" data-testid="action-enable">
                      {t('users.enable')}
                    </Button>
                  </Popconfirm>
                ) : (
                  <Popconfirm
                    title={t('users.disableConfirm', { name: u.displayName })}
                    onConfirm={() => act.mutate({ u, action: 'disable' })}
                  >
                    <Button size="small" type="link" danger data-testid="action-disable">
                      {t('users.disable')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <UserCreateModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(name, password) => password && setSecret({ name, password })}
      />
      <OneTimePassword secret={secret} onClose={() => setSecret(null)} />
    </AdminPage>
  );
}
