/**
 * 月度分析报告: pick a month and a format, the report is made as a background job (progress and
 * cancel in a window, the file offered when done); the reports made — at month end by the
 * scheduler or on demand — stay listed for download; leaders and administrators edit the
 * template's wording (each text with the placeholders it may use).
 */
import { FileWordOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Collapse,
  DatePicker,
  Input,
  Modal,
  Segmented,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, download } from '../../api/client';
import { type JobView, useJob } from '../../api/jobs';
import { useSession } from '../../auth/session';
import { useShowError } from '../../components/errors';
import { JobProgress } from '../../components/job/JobProgress';

interface ReportItem {
  id: number;
  month: string;
  format: 'docx' | 'pdf';
  origin: 'schedule' | 'request';
  fileName: string;
  bytes: number;
  createdAt: string;
}
interface TemplateText {
  key: string;
  note: string;
  text: string;
  default: string;
  placeholders: string[];
}

function TextEditor(props: { item: TemplateText }) {
  const { t } = useTranslation('report');
  const { message } = App.useApp();
  const showError = useShowError();
  const client = useQueryClient();
  const [value, setValue] = useState(props.item.text);
  useEffect(() => setValue(props.item.text), [props.item.text]);
  const save = useMutation({
    mutationFn: (text: string | null) =>
      api(`/reports/monthly/texts/${props.item.key}`, { method: 'PUT', body: { text } }),
    onSuccess: async () => {
      message.success(t('saved'));
      await client.invalidateQueries({ queryKey: ['report-texts'] });
    },
    onError: showError,
  });
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid={`report-text-${props.item.key}`}>
      <Input.TextArea value={value} autoSize={{ minRows: 2 }} onChange={(e) => setValue(e.target.value)} />
      <Typography.Text type="secondary">
        {t('textsHelp')} {props.item.placeholders.map((p) => `{${p}}`).join(' ') || '—'}
      </Typography.Text>
      <Space>
        <Button type="primary" size="small" loading={save.isPending} onClick={() => save.mutate(value)}>
          {t('save')}
        </Button>
        <Button
          size="small"
          disabled={props.item.text === props.item.default}
          onClick={() => save.mutate(null)}
        >
          {t('reset')}
        </Button>
      </Space>
    </Space>
  );
}

export function ReportsPage() {
  const { t } = useTranslation('report');
  const showError = useShowError();
  const client = useQueryClient();
  const { session } = useSession();
  const editor = session?.user.role === 'admin' || session?.user.role === 'leader';
  const [month, setMonth] = useState<Dayjs>(dayjs().subtract(1, 'month'));
  const [format, setFormat] = useState<'docx' | 'pdf'>('docx');
  const [key, setKey] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const monthText = month.format('YYYY-MM');
  const job = useJob<never>(
    key,
    () => api<JobView>('/reports/monthly', { method: 'POST', body: { month: monthText, format } }),
    { result: false, reuseMs: 5 * 60_000 },
  );
  const reports = useQuery({
    queryKey: ['monthly-reports'],
    queryFn: () => api<{ items: ReportItem[] }>('/reports/monthly', { query: { limit: 50 } }),
  });
  const texts = useQuery({
    queryKey: ['report-texts'],
    queryFn: () => api<TemplateText[]>('/reports/monthly/texts'),
    enabled: editor,
  });
  const state = job.view?.state;
  useEffect(() => {
    if (state === 'succeeded') void client.invalidateQueries({ queryKey: ['monthly-reports'] });
  }, [state, client]);
  useEffect(() => {
    if (job.error) showError(job.error);
  }, [job.error, showError]);

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="large">
      <Card title={t('title')}>
        <Space wrap>
          <span>{t('month')}</span>
          <DatePicker
            picker="month"
            value={month}
            allowClear={false}
            disabledDate={(d) => d.isAfter(dayjs(), 'month')}
            onChange={(d) => d && setMonth(d)}
            data-testid="report-month"
          />
          <span>{t('format')}</span>
          <Segmented
            value={format}
            options={[
              { label: 'Word (.docx)', value: 'docx' },
              { label: 'PDF', value: 'pdf' },
            ]}
            onChange={(v) => setFormat(v as 'docx' | 'pdf')}
          />
          <Button
            type="primary"
            icon={<FileWordOutlined />}
            data-testid="report-generate"
            onClick={() => {
              setKey(`monthly-report:${session?.user.username ?? ''}:${monthText}:${format}`);
              setOpen(true);
            }}
          >
            {t('generate')}
          </Button>
        </Space>
      </Card>
      <Modal
        open={open}
        title={`${t('title')} ${monthText}`}
        onCancel={() => setOpen(false)}
        footer={
          <Space>
            {state === 'succeeded' && job.view ? (
              <Button
                type="primary"
                data-testid="report-download"
                onClick={() => download(`/jobs/${job.view?.id}/result`).catch(showError)}
              >
                {t('download')}
                {job.view.file ? ` (${Math.ceil(job.view.file.bytes / 1024)} KB)` : ''}
              </Button>
            ) : null}
            <Button onClick={() => setOpen(false)}>OK</Button>
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">{t('generating')}</Typography.Paragraph>
        <JobProgress
          view={job.view}
          testId="report-job"
          onCancel={() => void job.cancel()}
          onRestart={() => void job.restart()}
        />
      </Modal>
      <Card title={t('archive')}>
        <Table<ReportItem>
          rowKey="id"
          size="small"
          loading={reports.isLoading}
          dataSource={reports.data?.items ?? []}
          pagination={false}
          columns={[
            { title: t('month'), dataIndex: 'month' },
            { title: t('format'), dataIndex: 'format', render: (f: string) => <Tag>{f.toUpperCase()}</Tag> },
            { title: '', dataIndex: 'origin', render: (o: 'schedule' | 'request') => t(`origin.${o}`) },
            {
              title: t('created'),
              dataIndex: 'createdAt',
              render: (d: string) => dayjs(d).format('YYYY-MM-DD HH:mm'),
            },
            { title: t('size'), dataIndex: 'bytes', render: (b: number) => `${Math.ceil(b / 1024)} KB` },
            {
              title: '',
              key: 'download',
              render: (_: unknown, r) => (
                <Button
                  size="small"
                  onClick={() => download(`/reports/monthly/${r.id}/file`).catch(showError)}
                >
                  {t('download')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      {editor ? (
        <Card title={t('texts')}>
          <Collapse
            items={(texts.data ?? []).map((item) => ({
              key: item.key,
              label: `${item.note} (${item.key})`,
              children: <TextEditor item={item} />,
            }))}
          />
        </Card>
      ) : null}
    </Space>
  );
}
