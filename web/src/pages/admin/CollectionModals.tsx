/** The company and team forms of the 信息采集外包 page (create and edit in one modal each). */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ButtonProps } from 'antd';
import { App, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useShowError } from '../../components/errors';
import { CODE_PATTERN, COMPANIES_KEY, type CollectionCompany, type CollectionTeam } from './collection-data';

/** Saves, then reloads the companies (teams and members travel with them) and closes. */
function useSave<V>(send: (v: V) => Promise<unknown>, onClose: () => void) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: async () => {
      void message.success(t('state.saved'));
      await qc.invalidateQueries({ queryKey: COMPANIES_KEY });
      onClose();
    },
    onError: showError,
  });
}

interface CompanyForm {
  code: string;
  name: string;
  contractDailyHours: number;
}

export function CompanyModal({
  editing,
  onClose,
}: {
  editing: CollectionCompany | 'new' | null;
  onClose: () => void;
}) {
  const { t } = useTranslation('admin');
  const [form] = Form.useForm<CompanyForm>();
  const isNew = editing === 'new';
  const save = useSave(
    (v: CompanyForm) =>
      isNew
        ? api('/collection/companies', {
            body: { code: v.code, name: v.name.trim(), contractDailyHours: v.contractDailyHours },
          })
        : api(`/collection/companies/${encodeURIComponent((editing as CollectionCompany).code)}`, {
            method: 'PATCH',
            body: { name: v.name.trim(), contractDailyHours: v.contractDailyHours },
          }),
    onClose,
  );
  const initial: Partial<CompanyForm> =
    editing && editing !== 'new'
      ? { code: editing.code, name: editing.name, contractDailyHours: editing.contractDailyHours }
      : { contractDailyHours: 8 };
  return (
    <Modal
      open={editing !== null}
      title={isNew ? t('collection.newCompany') : t('collection.editCompany')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'company-save' } as ButtonProps}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={(v) => save.mutate(v)}
        data-testid="company-form"
      >
        <Form.Item
          name="code"
          label={t('common.code')}
          extra={isNew ? t('collection.codeHint') : undefined}
          rules={[{ required: true, pattern: CODE_PATTERN }]}
        >
          <Input disabled={!isNew} autoFocus={isNew} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('common.name')}
          rules={[{ required: true, whitespace: true, max: 100 }]}
        >
          <Input autoFocus={!isNew} />
        </Form.Item>
        <Form.Item
          name="contractDailyHours"
          label={t('collection.contractDailyHours')}
          extra={t('collection.contractHint')}
          rules={[{ required: true, type: 'number', min: 0.5, max: 24 }]}
        >
          <InputNumber
            min={0.5}
            max={24}
            step={0.5}
            suffix={t('collection.hoursUnit')}
            style={{ width: 160 }}
            data-testid="company-hours"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface TeamForm {
  code: string;
  name: string;
  companyCode: string;
}

/** A team to edit, or a new one under a company. */
export type TeamEditing = { team: CollectionTeam; companyCode: string } | { team: null; companyCode: string };

export function TeamModal({
  editing,
  companies,
  onClose,
}: {
  editing: TeamEditing | null;
  companies: CollectionCompany[];
  onClose: () => void;
}) {
  const { t } = useTranslation('admin');
  const [form] = Form.useForm<TeamForm>();
  const team = editing?.team ?? null;
  const save = useSave(
    (v: TeamForm) =>
      team
        ? api(`/collection/teams/${encodeURIComponent(team.code)}`, {
            method: 'PATCH',
            body: { name: v.name.trim(), companyCode: v.companyCode },
          })
        : api('/collection/teams', {
            body: { code: v.code, companyCode: v.companyCode, name: v.name.trim() },
          }),
    onClose,
  );
  const initial: Partial<TeamForm> = team
    ? { code: team.code, name: team.name, companyCode: editing?.companyCode }
    : { companyCode: editing?.companyCode };
  return (
    <Modal
      open={editing !== null}
      title={team ? t('collection.editTeam') : t('collection.newTeam')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'team-save' } as ButtonProps}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={(v) => save.mutate(v)}
        data-testid="team-form"
      >
        <Form.Item
          name="code"
          label={t('common.code')}
          extra={team ? undefined : t('collection.codeHint')}
          rules={[{ required: true, pattern: CODE_PATTERN }]}
        >
          <Input disabled={!!team} autoFocus={!team} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('common.name')}
          rules={[{ required: true, whitespace: true, max: 100 }]}
        >
          <Input autoFocus={!!team} />
        </Form.Item>
        <Form.Item
          name="companyCode"
          label={t('collection.company')}
          extra={team ? t('collection.moveHint') : undefined}
          rules={[{ required: true }]}
        >
          <Select
            data-testid="team-company"
            showSearch={{ optionFilterProp: 'label' }}
            options={companies.map((c) => ({ value: c.code, label: `${c.name} ${c.code}` }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
