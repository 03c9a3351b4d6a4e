/** Publishing a finished period (leader, admin): title + period, confirmed before the results freeze. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { cancelJob, followJob, type JobView } from '../../api/jobs';
import { useShowError } from '../../components/errors';
import { JobProgress } from '../../components/job/JobProgress';
import { PeriodPicker, type PeriodValue } from './PeriodPicker';
import { lastMonth, periodQuery } from './shared';

export function PublishModal({
  open,
  onClose,
  onDone,
}: {
  open: boolean;
  onClose: () => void;
  onDone: (id: number) => void;
}) {
  const { t } = useTranslation('evaluation');
  const { modal, message } = App.useApp();
  const showError = useShowError();
  const qc = useQueryClient();
  const [period, setPeriod] = useState<PeriodValue>({ kind: 'month', day: lastMonth(), range: null });
  const defaultTitle = () => t('pub.defaultTitle', { month: period.day.format('YYYY-MM') });
  const [title, setTitle] = useState('');
  // The period is counted and frozen by a background job: the modal follows its progress.
  const [job, setJob] = useState<JobView | null>(null);
  const publish = useMutation({
    mutationFn: async (body: { title: string; period: string; from: string; to?: string }) =>
      followJob<{ id: number }>(await api<JobView>('/evaluation/publications', { body }), setJob),
    onSuccess: async (p) => {
      setJob(null);
      if (!p) return; // cancelled: the progress bar says so
      await qc.invalidateQueries({ queryKey: ['evaluation', 'publications'] });
      void message.success(t('pub.published'));
      onDone(p.id);
    },
    onError: showError,
  });
  const submit = () => {
    const body = {
      title: title.trim() || defaultTitle(),
      ...periodQuery(period.kind, period.day, period.range),
    };
    modal.confirm({
      title: t('pub.confirmTitle'),
      content: t('pub.confirmText', { title: body.title }),
      okText: t('pub.publish'),
      okButtonProps: { 'data-testid': 'confirm-publish' },
      // The confirmation closes at once; the modal shows the job's progress.
      onOk: () => publish.mutate(body),
    });
  };
  return (
    <Modal
      open={open}
      title={t('pub.new')}
      onCancel={onClose}
      onOk={submit}
      okText={t('pub.publish')}
      okButtonProps={{ loading: publish.isPending, 'data-testid': 'publish-submit' }}
      destroyOnHidden
    >
      {job && (
        <Space orientation="vertical" style={{ width: '100%', marginBottom: 16 }}>
          <Alert type="info" showIcon title={t('pub.counting')} />
          <JobProgress
            view={job}
            testId="publish-progress"
            onCancel={() => void cancelJob(job.id).catch(showError)}
            onRestart={() => {
              setJob(null);
              submit();
            }}
          />
        </Space>
      )}
      <Form layout="vertical" onFinish={submit} data-testid="publish-form">
        <Form.Item label={t('pub.period')}>
          <PeriodPicker
            value={period}
            onChange={setPeriod}
            kinds={['week', 'month', 'quarter', 'year', 'custom']}
          />
        </Form.Item>
        <Form.Item label={t('pub.titleField')}>
          <Input
            autoFocus
            data-testid="publish-title"
            placeholder={defaultTitle()}
            value={title}
            maxLength={100}
            onChange={(e) => setTitle(e.target.value)}
            onPressEnter={submit}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
