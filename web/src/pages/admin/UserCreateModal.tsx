/** The new-user form and the one-time password dialog (shown once, never stored). */

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ButtonProps } from 'antd';
import { App, Form, Input, Modal, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { DEPARTMENT_ROLES, ROLE_NAMES, type Role } from '../../../../src/domain/access/permissions';
import { api } from '../../api/client';
import { useShowError } from '../../components/errors';
import { pick } from '../../i18n';
import { STAFF_ROLES, useDepartments, useDivisions } from './org-data';

interface NewUserForm {
  username: string;
  displayName: string;
  role: Role;
  divisionCode?: string;
  departmentCode?: string;
  phone?: string;
  password?: string;
}

export function UserCreateModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (name: string, temporaryPassword?: string) => void;
}) {
  const { t, i18n } = useTranslation('admin');
  const { message } = App.useApp();
  const showError = useShowError();
  const qc = useQueryClient();
  const [form] = Form.useForm<NewUserForm>();
  const role = Form.useWatch('role', form);
  const divisions = useDivisions();
  const departments = useDepartments();
  const deptRole = !!role && DEPARTMENT_ROLES.includes(role);
  const create = useMutation({
    mutationFn: (v: NewUserForm) =>
      api<{ user: { displayName: string }; temporaryPassword?: string }>('/users', {
        body: {
          username: v.username.trim(),
          displayName: v.displayName,
          role: v.role,
          ...(deptRole ? { departmentCode: v.departmentCode } : { divisionCode: v.divisionCode }),
          phone: v.phone || undefined,
          password: v.password || undefined,
        },
      }),
    onSuccess: async (res) => {
      void message.success(t('users.created'));
      await qc.invalidateQueries({ queryKey: ['admin', 'users'] });
      form.resetFields();
      onClose();
      onCreated(res.user.displayName, res.temporaryPassword);
    },
    onError: showError,
  });
  return (
    <Modal
      open={open}
      title={t('users.newUser')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      okButtonProps={{ 'data-testid': 'user-save' } as ButtonProps}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)} data-testid="user-form">
        <Form.Item
          name="username"
          label={t('users.username')}
          rules={[{ required: true, pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$/ }]}
        >
          <Input autoFocus autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('users.displayName')}
          rules={[{ required: true, whitespace: true, max: 60 }]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="role" label={t('users.role')} rules={[{ required: true }]}>
          <Select
            data-testid="user-role"
            options={STAFF_ROLES.map((r) => ({ value: r, label: pick(ROLE_NAMES[r], i18n.language) }))}
          />
        </Form.Item>
        {deptRole ? (
          <Form.Item name="departmentCode" label={t('users.department')} rules={[{ required: true }]}>
            <Select
              data-testid="user-department"
              showSearch={{ optionFilterProp: 'label' }}
              options={(departments.data ?? []).map((d) => ({ value: d.code, label: `${d.name} ${d.code}` }))}
            />
          </Form.Item>
        ) : (
          <Form.Item name="divisionCode" label={t('users.division')} rules={[{ required: true }]}>
            <Select
              data-testid="user-division"
              showSearch={{ optionFilterProp: 'label' }}
              options={(divisions.data ?? []).map((d) => ({ value: d.code, label: `${d.name} ${d.code}` }))}
            />
          </Form.Item>
        )}
        <Form.Item name="phone" label={t('users.phone')} rules={[{ pattern: /^\+?[0-9-]{5,20}$/ }]}>
          <Input />
        </Form.Item>
        <Form.Item name="password" label={t('users.password')} extra={t('users.passwordHint')}>
          <Input.Password autoComplete="new-password" onPressEnter={() => form.submit()} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function OneTimePassword({
  secret,
  onClose,
}: {
  secret: { name: string; password: string } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation('admin');
  return (
    <Modal
      open={!!secret}
      title={t('users.oneTimeTitle')}
      onOk={onClose}
      onCancel={onClose}
      cancelButtonProps={{ style: { display: 'none' } }}
      okButtonProps={{ 'data-testid': 'one-time-ok' } as ButtonProps}
    >
      <Typography.Paragraph>{t('users.oneTimeText', { name: secret?.name ?? '' })}</Typography.Paragraph>
      <Typography.Text code copyable strong style={{ fontSize: 18 }} data-testid="one-time-password">
        {secret?.password}
      </Typography.Text>
    </Modal>
  );
}
