/** 部件管理: the component registry searched by id, class, state and grid; import and export. */
import { DownloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, download, uploadRaw } from '../../api/client';
import { cancelJob, followJob, type JobView } from '../../api/jobs';
import { useShowError } from '../../components/errors';
import { JobProgress } from '../../components/job/JobProgress';
import { pick } from '../../i18n';
import { AdminPage, FilePick, type ImportError, ImportErrorTable, importErrorsOf } from './shared';
import { XLSX_TYPE } from './standards-data';

interface Component {
  id: string;
  categoryCode: string;
  categoryName: string;
  name: string;
  managingDepartment: { code: string; name: string } | null;
  owningDepartment: { code: string; name: string } | null;
  maintainingDepartment: { code: string; name: string } | null;
  gridCode: string | null;
  state: 'intact' | 'damaged' | 'lost' | 'occupied';
  stateLabel: { zh: string; en: string };
  startDate: string | null;
}

const PAGE = 50;
const STATE_COLOR = { intact: 'green', damaged: 'orange', lost: 'red', occupied: 'purple' } as const;

function fileType(file: File): string {
  if (/\.csv$/i.test(file.name)) return 'text/csv';
  if (/\.xlsx$/i.test(file.name)) return XLSX_TYPE;
  return 'application/json';
}

export function ComponentsPage() {
  const { t, i18n } = useTranslation('admin');
  const { message } = App.useApp();
  const showError = useShowError();
  const qc = useQueryClient();
  const [idPrefix, setIdPrefix] = useState<string | undefined>();
  const [category, setCategory] = useState<string | undefined>();
  const [state, setState] = useState<Component['state'] | undefined>();
  const [grid, setGrid] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [dryRun, setDryRun] = useState(true);
  const [importErrors, setImportErrors] = useState<ImportError[] | null>(null);
  // The import runs as a background job: its progress bar, then its result.
  const [job, setJob] = useState<JobView | null>(null);
  const filters = { idPrefix, category, state, grid };
  const list = useQuery({
    queryKey: ['admin', 'components', filters, page],
    queryFn: () =>
      api<{ items: Component[]; total: number }>('/components', {
        query: { ...filters, limit: PAGE, offset: (page - 1) * PAGE },
      }),
    placeholderData: keepPreviousData,
  });
  const importFile = useMutation({
    mutationFn: async (file: File) =>
      followJob<{ dryRun: boolean; rows: number; created: number }>(
        await uploadRaw<JobView>('/components/import', new Blob([file], { type: fileType(file) }), {
          dryRun: String(dryRun),
        }),
        setJob,
      ),
    onSuccess: async (r) => {
      if (!r) return;
      void message.success(t('common.importOk', { count: r.dryRun ? r.rows : r.created }));
      await qc.invalidateQueries({ queryKey: ['admin', 'components'] });
    },
    onError: (err) => {
      const rows = importErrorsOf(err);
      if (rows) setImportErrors(rows);
      else showError(err);
    },
  });
  const digits = (v: string, re: RegExp) => (re.test(v.trim()) ? v.trim() : undefined);
  const dept = (d: { name: string } | null) => d?.name ?? '';

  return (
    <AdminPage
      title={t('menu.components')}
      extra={
        <Space size={4}>
          <Checkbox checked={dryRun} onChange={(e) => setDryRun(e.target.checked)}>
            {t('components.dryRun')}
          </Checkbox>
          <FilePick
            accept=".csv,.xlsx,.geojson,.json"
            testId="action-import"
            loading={importFile.isPending}
            onFile={(f) => importFile.mutate(f)}
          >
            {t('common.importFile')}
          </FilePick>
          {(['xlsx', 'csv'] as const).map((format) => (
            <Button
              key={format}
              size="small"
              icon={<DownloadOutlined />}
              data-testid={`action-export-${format}`}
              onClick={() =>
                void download('/components/export', { query: { ...filters, format } }).catch(showError)
              }
            >
              {t(format === 'xlsx' ? 'components.exportXlsx' : 'components.exportCsv')}
            </Button>
          ))}
        </Space>
      }
    >
      {job && job.state !== 'failed' ? (
        <div style={{ marginBottom: 12, maxWidth: 640 }}>
          <JobProgress
            view={job}
            testId="import-job"
            onCancel={() => void cancelJob(job.id).catch(showError)}
            onRestart={() => setJob(null)}
          />
        </div>
      ) : null}
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('components.importHint')}
      </Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          data-testid="filter-id"
          allowClear
          placeholder={t('components.idPrefix')}
          style={{ width: 200 }}
          onSearch={(v) => {
            setIdPrefix(digits(v, /^\d{1,17}$/));
            setPage(1);
          }}
        />
        <Input.Search
          allowClear
          placeholder={`${t('components.category')} (0101)`}
          style={{ width: 160 }}
          onSearch={(v) => {
            setCategory(digits(v, /^\d{2}(\d{2,3})?$/));
            setPage(1);
          }}
        />
        <Select
          allowClear
          placeholder={t('components.state')}
          style={{ width: 110 }}
          value={state}
          onChange={(v) => {
            setState(v);
            setPage(1);
          }}
          options={(['intact', 'damaged', 'lost', 'occupied'] as const).map((s) => ({
            value: s,
            label: t(`components.states.${s}`),
          }))}
        />
        <Input.Search
          allowClear
          placeholder={`${t('common.grid')} / ${t('common.district')}`}
          style={{ width: 200 }}
          onSearch={(v) => {
            setGrid(digits(v, /^\d{4,15}$/));
            setPage(1);
          }}
        />
      </Space>
      <Table<Component>
        data-testid="component-table"
        size="small"
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items}
        scroll={{ y: 'calc(100vh - 340px)' }}
        pagination={{
          current: page,
          pageSize: PAGE,
          total: list.data?.total,
          onChange: setPage,
          showSizeChanger: false,
          showTotal: (n) => t('common:total', { count: n }),
        }}
        columns={[
          { title: t('components.id'), dataIndex: 'id', width: 160 },
          { title: t('common.name'), dataIndex: 'name', width: 110 },
          {
            title: t('components.category'),
            width: 130,
            render: (_, c) => `${c.categoryCode} ${c.categoryName}`,
          },
          {
            title: t('components.state'),
            width: 70,
            render: (_, c) => <Tag color={STATE_COLOR[c.state]}>{pick(c.stateLabel, i18n.language)}</Tag>,
          },
          { title: t('common.grid'), dataIndex: 'gridCode', width: 150 },
          { title: t('components.managing'), render: (_, c) => dept(c.managingDepartment) },
          { title: t('components.owning'), render: (_, c) => dept(c.owningDepartment) },
          { title: t('components.maintaining'), render: (_, c) => dept(c.maintainingDepartment) },
          { title: t('components.startDate'), dataIndex: 'startDate', width: 100 },
        ]}
      />
      <Modal
        open={!!importErrors}
        width={820}
        title={t('common.importErrors', { count: importErrors?.length ?? 0 })}
        onCancel={() => setImportErrors(null)}
        footer={null}
      >
        {importErrors ? <ImportErrorTable errors={importErrors} /> : null}
      </Modal>
    </AdminPage>
  );
}
