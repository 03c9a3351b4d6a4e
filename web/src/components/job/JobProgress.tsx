/**
 * A background job as the asker sees it: a progress bar (not a spinner) with what is done,
 * a cancel button while it runs, and the way to start again once cancelled or failed.
 */
import { Alert, Button, Progress, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { JobView } from '../../api/jobs';

export function JobProgress(props: {
  view: JobView | undefined;
  onCancel: () => void;
  onRestart: () => void;
  testId?: string;
}) {
  const { t, i18n } = useTranslation();
  const { view } = props;
  const testId = props.testId ?? 'job-progress';
  if (!view) return <Progress percent={0} data-testid={testId} data-state="starting" />;
  if (view.state === 'failed') {
    return (
      <Alert
        type="error"
        data-testid={testId}
        data-state="failed"
        title={`${t('job.failed')}: ${view.error ? (i18n.language === 'en' ? view.error.messages.en : view.error.messages.zh) : ''}`}
        action={
          <Button size="small" onClick={props.onRestart}>
            {t('job.again')}
          </Button>
        }
      />
    );
  }
  if (view.state === 'cancelled') {
    return (
      <Alert
        type="warning"
        data-testid={testId}
        data-state="cancelled"
        title={t('job.cancelled')}
        action={
          <Button size="small" data-testid={`${testId}-again`} onClick={props.onRestart}>
            {t('job.again')}
          </Button>
        }
      />
    );
  }
  const running = view.state === 'queued' || view.state === 'running';
  const counted = view.message && /^\d+ \/ \d+$/.test(view.message);
  return (
    <Space
      orientation="vertical"
      style={{ width: '100%' }}
      data-testid={testId}
      data-state={view.state}
      data-progress={view.progress}
    >
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {view.state === 'queued'
            ? t('job.queued')
            : running
              ? `${t('job.running', { percent: view.progress })}${counted ? ` · ${t('job.cases', { message: view.message })}` : ''}`
              : t('job.done', {
                  at: view.finishedAt ? new Date(view.finishedAt).toLocaleTimeString(i18n.language) : '',
                })}
        </Typography.Text>
        {running ? (
          <Button
            size="small"
            danger
            data-testid={`${testId}-cancel`}
            disabled={view.cancelRequested}
            onClick={props.onCancel}
          >
            {t('job.cancel')}
          </Button>
        ) : (
          <Button size="small" type="link" data-testid={`${testId}-again`} onClick={props.onRestart}>
            {t('job.again')}
          </Button>
        )}
      </Space>
      {running ? <Progress percent={view.progress} status="active" data-testid={`${testId}-bar`} /> : null}
    </Space>
  );
}
