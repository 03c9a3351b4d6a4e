/**
 * 导出 Excel of a case list as a background job: the button starts the export (or shows the one
 * of the same list still running), a window follows it with a progress bar and a cancel button,
 * and offers the file when done. Closing the window leaves the export running; the same button
 * brings it back.
 */
import { DownloadOutlined } from '@ant-design/icons';
import { Button, Modal, Space, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, download, type Query } from '../../api/client';
import { type JobView, useJob } from '../../api/jobs';
import { useSession } from '../../auth/session';
import { useShowError } from '../errors';
import { JobProgress } from './JobProgress';

export function ExportJobButton(props: { filters: Query; testId?: string }) {
  const { t } = useTranslation();
  const showError = useShowError();
  const { session } = useSession();
  const [key, setKey] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  // The export body is the list's query, without empty fields.
  const body = Object.fromEntries(
    Object.entries(props.filters)
      .filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0))
      .map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]),
  );
  const wanted = `cases-export:${session?.user.username ?? ''}:${JSON.stringify(body)}`;
  const job = useJob<never>(key, () => api<JobView>('/cases/exports', { method: 'POST', body }), {
    result: false,
    reuseMs: 5 * 60_000,
  });
  const id = job.view?.id;
  const state = job.view?.state;
  const fetched = useRef<string | null>(null);
  // The file is handed over once, when the export finishes with the window open.
  useEffect(() => {
    if (open && state === 'succeeded' && id && fetched.current !== id) {
      fetched.current = id;
      download(`/jobs/${id}/result`).catch(showError);
    }
  }, [open, state, id, showError]);
  useEffect(() => {
    if (job.error) showError(job.error);
  }, [job.error, showError]);

  const testId = props.testId ?? 'export';
  return (
    <>
      <Button
        icon={<DownloadOutlined />}
        data-testid={testId}
        loading={open && (state === 'queued' || state === 'running')}
        onClick={() => {
          setKey(wanted);
          setOpen(true);
        }}
      >
        {t('action.export')}
      </Button>
      <Modal
        open={open}
        title={t('job.exportTitle')}
        onCancel={() => setOpen(false)}
        data-testid={`${testId}-modal`}
        footer={
          <Space>
            {state === 'succeeded' && id ? (
              <Button
                type="primary"
                data-testid={`${testId}-download`}
                onClick={() => download(`/jobs/${id}/result`).catch(showError)}
              >
                {t('job.download')}
                {job.view?.file ? ` (${Math.ceil(job.view.file.bytes / 1024)} KB)` : ''}
              </Button>
            ) : null}
            <Button onClick={() => setOpen(false)}>{t('job.close')}</Button>
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">{t('job.exporting')}</Typography.Paragraph>
        <JobProgress
          view={job.view}
          testId={`${testId}-job`}
          onCancel={() => void job.cancel()}
          onRestart={() => void job.restart()}
        />
      </Modal>
    </>
  );
}
