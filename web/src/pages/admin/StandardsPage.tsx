/** 类别标准与时限: the category tree, standards versions and each class's standard and limits. */
import {
  DeleteOutlined,
  DownloadOutlined,
  EditOutlined,
  PlusOutlined,
  SendOutlined,
} from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  Input,
  Modal,
  Popconfirm,
  Row,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Tree,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { STEP_LABELS } from '../../../../src/domain/catalog/limits';
import { CLOCK_STEPS, type ClockStep } from '../../../../src/domain/workflow/states';
import { api, download, uploadRaw } from '../../api/client';
import { cancelJob, followJob, type JobView } from '../../api/jobs';
import { useShowError } from '../../components/errors';
import { JobProgress } from '../../components/job/JobProgress';
import { pick } from '../../i18n';
import { useDepartments } from './org-data';
import { StandardEditor } from './StandardEditor';
import { AdminPage, FilePick, type ImportError, ImportErrorTable, importErrorsOf } from './shared';
import {
  AREA,
  type Category,
  effectiveLimit,
  type Standard,
  URGENCY_LEVELS,
  type Urgency,
  useCategories,
  useStandards,
  useVersions,
  XLSX_TYPE,
} from './standards-data';

function matches(c: Category, q: string): boolean {
  return c.name.includes(q) || c.code.startsWith(q) || c.children.some((x) => matches(x, q));
}

function StandardView({ standard }: { standard: Standard }) {
  const { t, i18n } = useTranslation('admin');
  const departments = useDepartments();
  const names = new Map((departments.data ?? []).map((d) => [d.code, d.name]));
  const [level, setLevel] = useState<Urgency>('normal');
  const steps = CLOCK_STEPS.filter((s) => standard.timeLimits.some((l) => l.step === s));
  return (
    <>
      {standard.derivation ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 8 }}
          data-testid="standard-derivation"
          title={`${t('standards.derived')}：${pick(standard.derivation, i18n.language)}`}
        />
      ) : null}
      <Descriptions size="small" column={1} bordered data-testid="standard-view">
        <Descriptions.Item label={t('standards.filing')}>{standard.filingConditions}</Descriptions.Item>
        <Descriptions.Item label={t('standards.closing')}>{standard.closingConditions}</Descriptions.Item>
        <Descriptions.Item label={t('standards.urgency')}>
          {t(`standards.urgencies.${standard.defaultUrgency}`)}
        </Descriptions.Item>
        <Descriptions.Item label={t('standards.departments')}>
          {standard.departmentCodes.map((c) => names.get(c) ?? c).join('、')}
        </Descriptions.Item>
        <Descriptions.Item label={t('standards.checkPhotos')}>
          <span data-testid="standard-view-check-photos">
            {standard.checkPhotos ? t('standards.yes') : t('standards.no')}
          </span>
        </Descriptions.Item>
      </Descriptions>
      <Segmented
        style={{ marginTop: 12 }}
        data-testid="limit-level"
        value={level}
        onChange={(v) => setLevel(v as Urgency)}
        options={URGENCY_LEVELS.map((u) => ({ value: u, label: t(`standards.urgencies.${u}`) }))}
      />
      <Table
        style={{ marginTop: 8 }}
        data-testid="time-limit-table"
        size="small"
        pagination={false}
        rowKey="step"
        dataSource={steps.map((step) => ({ step }))}
        columns={[
          {
            title: t('standards.step'),
            width: 100,
            render: (_, r: { step: ClockStep }) => pick(STEP_LABELS[r.step], i18n.language),
          },
          ...AREA.map((a) => ({
            title: t('standards.areaClass', { c: a }),
            render: (_: unknown, r: { step: string }) => {
              // A 紧急 / 特急 case falls back to the less urgent level where none is written.
              const l = effectiveLimit(standard.timeLimits, r.step, a, level);
              if (!l) return '—';
              const text = `${l.amount} ${t(`standards.units.${l.unit}`)}`;
              return l.urgency === level ? text : `${text}（${t(`standards.urgencies.${l.urgency}`)}）`;
            },
          })),
        ]}
      />
    </>
  );
}

export function StandardsPage() {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const qc = useQueryClient();
  const categories = useCategories();
  const versions = useVersions();
  const [versionId, setVersionId] = useState<number | undefined>();
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<Category | null>(null);
  const [editing, setEditing] = useState(false);
  const [publishing, setPublishing] = useState<Dayjs | null>(null);
  const [importErrors, setImportErrors] = useState<ImportError[] | null>(null);
  // The import runs as a background job: its progress bar, then its result.
  const [job, setJob] = useState<JobView | null>(null);
  const version =
    versions.data?.items.find((v) => v.id === versionId) ?? versions.data?.items.find((v) => v.inForce);
  const standards = useStandards(version?.id);
  const standard = selected ? standards.data?.get(selected.id) : undefined;
  const isDraft = version?.status === 'draft';
  const minorCount = useMemo(
    () => (categories.data?.items ?? []).reduce((n, m) => n + m.children.length, 0),
    [categories.data],
  );

  const treeData = useMemo(() => {
    const q = search.trim();
    interface Node {
      key: number;
      title: string;
      children: Node[];
    }
    const toNode = (c: Category): Node => ({
      key: c.id,
      title: `${c.code} ${c.name}`,
      children: c.children.filter((x) => !q || matches(x, q)).map(toNode),
    });
    return (['component', 'event'] as const).map((kind) => ({
      key: `k-${kind}`,
      title: t(`standards.kind.${kind}`),
      selectable: false,
      children: (categories.data?.items ?? [])
        .filter((c) => c.kind === kind && (!q || matches(c, q)))
        .map(toNode),
    }));
  }, [categories.data, search, t]);
  const byId = useMemo(() => {
    const m = new Map<number, Category>();
    const walk = (c: Category) => {
      m.set(c.id, c);
      c.children.forEach(walk);
    };
    (categories.data?.items ?? []).forEach(walk);
    return m;
  }, [categories.data]);

  const refresh = async (id?: number) => {
    await qc.invalidateQueries({ queryKey: ['admin', 'versions'] });
    await qc.invalidateQueries({ queryKey: ['admin', 'standards'] });
    if (id) setVersionId(id);
  };
  const newDraft = useMutation({
    mutationFn: () =>
      api<{ id: number }>('/catalog/versions', {
        body: { name: `${t('standards.newDraft')} ${dayjs().format('YYYY-MM-DD HH:mm')}` },
      }),
    onSuccess: (v) => refresh(v.id),
    onError: showError,
  });
  const publish = useMutation({
    mutationFn: (date: string) =>
      api(`/catalog/versions/${version?.id}/publish`, { body: { effectiveFrom: date } }),
    onSuccess: async () => {
      setPublishing(null);
      void message.success(tc('state.saved'));
      await refresh();
    },
    onError: showError,
  });
  const remove = useMutation({
    mutationFn: () => api(`/catalog/versions/${version?.id}`, { method: 'DELETE' }),
    onSuccess: async () => {
      setVersionId(undefined);
      await refresh();
    },
    onError: showError,
  });
  const importFile = useMutation({
    mutationFn: async ({ file, into }: { file: File; into?: number }) =>
      followJob<{ version: { id: number } }>(
        await uploadRaw<JobView>(
          into ? `/catalog/versions/${into}/import` : '/catalog/versions/import',
          new Blob([file], { type: XLSX_TYPE }),
        ),
        setJob,
      ),
    onSuccess: async (res) => {
      if (!res) return;
      void message.success(tc('state.saved'));
      await refresh(res.version.id);
    },
    onError: (err) => {
      const rows = importErrorsOf(err);
      if (rows) setImportErrors(rows);
      else showError(err);
    },
  });

  return (
    <Row gutter={12}>
      {job && job.state !== 'failed' ? (
        <Col span={24} style={{ marginBottom: 12, maxWidth: 640 }}>
          <JobProgress
            view={job}
            testId="import-job"
            onCancel={() => void cancelJob(job.id).catch(showError)}
            onRestart={() => setJob(null)}
          />
        </Col>
      ) : null}
      <Col span={8}>
        <AdminPage
          title={`${t('standards.categories')} · ${t('standards.minorCount', { count: minorCount })}`}
        >
          <Input.Search
            allowClear
            placeholder={t('standards.search')}
            onChange={(e) => setSearch(e.target.value)}
            style={{ marginBottom: 8 }}
          />
          <div data-testid="category-tree" style={{ height: 'calc(100vh - 220px)', overflow: 'auto' }}>
            {categories.data ? (
              <Tree
                // A search remounts the tree fully expanded so every match shows.
                key={search.trim()}
                defaultExpandAll={!!search.trim()}
                treeData={treeData}
                defaultExpandedKeys={['k-event']}
                onSelect={(keys) => setSelected(byId.get(Number(keys[0])) ?? null)}
                blockNode
              />
            ) : null}
          </div>
        </AdminPage>
      </Col>
      <Col span={16}>
        <AdminPage
          title={t('standards.versions')}
          extra={
            <Space wrap size={4}>
              <Select
                size="small"
                data-testid="version-pick"
                style={{ width: 260 }}
                value={version?.id}
                onChange={setVersionId}
                options={(versions.data?.items ?? []).map((v) => ({
                  value: v.id,
                  label: `${v.name} · ${t(`standards.versionStatus.${v.status}`)}${v.effectiveFrom ? ` ${v.effectiveFrom}` : ''}${v.inForce ? ` · ${t('standards.inForce')}` : ''}`,
                }))}
              />
              <Button
                size="small"
                icon={<PlusOutlined />}
                data-testid="action-new-draft"
                loading={newDraft.isPending}
                onClick={() => newDraft.mutate()}
                title={t('standards.newDraftFrom')}
              >
                {t('standards.newDraft')}
              </Button>
              {isDraft ? (
                <>
                  <Button
                    size="small"
                    type="primary"
                    icon={<SendOutlined />}
                    data-testid="action-publish"
                    onClick={() => setPublishing(dayjs().add(1, 'day'))}
                  >
                    {t('standards.publish')}
                  </Button>
                  <Popconfirm
                    title={t('standards.deleteConfirm', { name: version?.name })}
                    onConfirm={() => remove.mutate()}
                  >
                    <Button size="small" danger icon={<DeleteOutlined />} data-testid="action-delete-draft" />
                  </Popconfirm>
                  <FilePick
                    accept=".xlsx"
                    testId="action-import"
                    loading={importFile.isPending}
                    onFile={(file) => importFile.mutate({ file, into: version?.id })}
                  >
                    {t('standards.import')}
                  </FilePick>
                </>
              ) : (
                <FilePick
                  accept=".xlsx"
                  testId="action-import-new"
                  loading={importFile.isPending}
                  onFile={(file) => importFile.mutate({ file })}
                >
                  {t('standards.importNew')}
                </FilePick>
              )}
              <Button
                size="small"
                icon={<DownloadOutlined />}
                data-testid="action-export"
                disabled={!version}
                onClick={() => void download(`/catalog/versions/${version?.id}/export`).catch(showError)}
              >
                {t('standards.export')}
              </Button>
            </Space>
          }
        >
          {version && !isDraft ? (
            <Alert type="info" showIcon title={t('standards.readonly')} style={{ marginBottom: 12 }} />
          ) : null}
          {selected && selected.level !== 'major' ? (
            <>
              <Space style={{ marginBottom: 8 }}>
                <Tag color="blue">{t(`standards.kind.${selected.kind}`)}</Tag>
                <strong data-testid="standard-title">
                  {selected.code} {selected.name}
                </strong>
                {isDraft ? (
                  <Button
                    size="small"
                    icon={<EditOutlined />}
                    data-testid="action-edit-standard"
                    onClick={() => setEditing(true)}
                  >
                    {t('standards.editStandard')}
                  </Button>
                ) : null}
              </Space>
              {standard ? (
                <StandardView standard={standard} />
              ) : (
                <Empty description={t('standards.noStandard')} />
              )}
              {editing && version ? (
                <StandardEditor
                  versionId={version.id}
                  category={selected}
                  standard={standard}
                  open
                  onClose={() => setEditing(false)}
                />
              ) : null}
            </>
          ) : (
            <Empty description={t('standards.pickCategory')} />
          )}
        </AdminPage>
      </Col>
      <Modal
        open={!!publishing}
        title={t('standards.publishTitle', { name: version?.name })}
        onCancel={() => setPublishing(null)}
        onOk={() => publishing && publish.mutate(publishing.format('YYYY-MM-DD'))}
        confirmLoading={publish.isPending}
      >
        <Space>
          {t('standards.effectiveFrom')}
          <DatePicker
            value={publishing}
            onChange={setPublishing}
            allowClear={false}
            disabledDate={(d) => d.isBefore(dayjs(), 'day')}
          />
        </Space>
      </Modal>
      <Modal
        open={!!importErrors}
        width={820}
        title={t('common.importErrors', { count: importErrors?.length ?? 0 })}
        onCancel={() => setImportErrors(null)}
        footer={null}
      >
        {importErrors ? <ImportErrorTable errors={importErrors} /> : null}
      </Modal>
    </Row>
  );
}
