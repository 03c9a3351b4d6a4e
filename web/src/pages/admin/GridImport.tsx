/** Grid import: validate a GeoJSON or zipped shapefile, show the report, commit only when valid. */
import { CheckOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Descriptions, Space, Table, Typography } from 'antd';
import type { FeatureCollection } from 'geojson';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, uploadRaw } from '../../api/client';
import { cancelJob, followJob, type JobView } from '../../api/jobs';
import { useShowError } from '../../components/errors';
import { JobProgress } from '../../components/job/JobProgress';
import { pick } from '../../i18n';
import { ProblemMap } from './GridMaps';
import { FilePick } from './shared';

interface Problem {
  code: string;
  gridCode: string | null;
  communityCode: string | null;
  feature: number | null;
  zh: string;
  en: string;
  lng: number | null;
  lat: number | null;
}

interface Report {
  ok: boolean;
  dryRun: boolean;
  problems: Problem[];
  summary: { features: number; problems: number; crs: { srid: number; name: string } };
}

/**
 * GeoJSON goes as JSON; anything else is taken for a zipped shapefile. The import runs as a
 * background job: its progress goes to `onView`, its report is the job's result.
 */
async function send(
  file: File,
  dryRun: boolean,
  redrawBoundary: boolean,
  onView: (v: JobView) => void,
): Promise<Report | null> {
  const query = { dryRun: String(dryRun), redrawBoundary: String(redrawBoundary) };
  const started = /\.(geo)?json$/i.test(file.name)
    ? await api<JobView>('/grids/import', { query, body: JSON.parse(await file.text()) as unknown })
    : await uploadRaw<JobView>('/grids/import', new Blob([file], { type: 'application/zip' }), query);
  return followJob<Report>(started, onView);
}

export function GridImport() {
  const { t, i18n } = useTranslation('admin');
  const { message } = App.useApp();
  const showError = useShowError();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [redraw, setRedraw] = useState(false);
  const [report, setReport] = useState<Report | null>(null);
  // The file's own shapes, drawn under the problems (GeoJSON files only).
  const [shapes, setShapes] = useState<FeatureCollection | null>(null);
  const [focus, setFocus] = useState<number | null>(null);
  const [job, setJob] = useState<JobView | null>(null);
  const validate = useMutation({
    mutationFn: (f: File) => send(f, true, redraw, setJob),
    onSuccess: setReport,
    onError: (err) => {
      setReport(null);
      showError(err);
    },
  });
  const commit = useMutation({
    mutationFn: (f: File) => send(f, false, redraw, setJob),
    onSuccess: async (r) => {
      setReport(r);
      if (r?.ok) {
        void message.success(t('grids.committed'));
        setFile(null);
        await qc.invalidateQueries({ queryKey: ['admin', 'grids'] });
      }
    },
    onError: showError,
  });
  return (
    <div data-testid="grid-import">
      <Typography.Paragraph type="secondary">{t('grids.importHint')}</Typography.Paragraph>
      <Space style={{ marginBottom: 12 }}>
        <FilePick
          accept=".geojson,.json,.zip"
          testId="action-validate"
          loading={validate.isPending}
          onFile={(f) => {
            setFile(f);
            setReport(null);
            setFocus(null);
            setShapes(null);
            if (/\.(geo)?json$/i.test(f.name)) {
              void f
                .text()
                .then((text) => setShapes(JSON.parse(text) as FeatureCollection))
                .catch(() => setShapes(null));
            }
            validate.mutate(f);
          }}
        >
          {t('grids.validate')}
        </FilePick>
        <Checkbox checked={redraw} onChange={(e) => setRedraw(e.target.checked)}>
          {t('grids.redraw')}
        </Checkbox>
        {file ? <Typography.Text>{file.name}</Typography.Text> : null}
        <Button
          type="primary"
          icon={<CheckOutlined />}
          data-testid="action-commit"
          disabled={!file || !report?.ok || !report.dryRun}
          loading={commit.isPending}
          onClick={() => file && commit.mutate(file)}
        >
          {t('grids.commit')}
        </Button>
      </Space>
      {job && job.state !== 'failed' ? (
        <div style={{ marginBottom: 12, maxWidth: 640 }}>
          <JobProgress
            view={job}
            testId="grid-import-job"
            onCancel={() => void cancelJob(job.id).catch(showError)}
            onRestart={() => setJob(null)}
          />
        </div>
      ) : null}
      {report ? (
        <div data-testid="grid-report">
          <Alert
            type={report.ok ? 'success' : 'error'}
            showIcon
            style={{ marginBottom: 8 }}
            title={
              report.ok
                ? report.dryRun
                  ? t('grids.valid', { features: report.summary.features })
                  : t('grids.committed')
                : t('grids.invalid', { problems: report.summary.problems })
            }
          />
          <Descriptions size="small" column={3} style={{ marginBottom: 8 }}>
            <Descriptions.Item label={t('grids.features')}>{report.summary.features}</Descriptions.Item>
            <Descriptions.Item label={t('grids.crs')}>
              EPSG:{report.summary.crs.srid} {report.summary.crs.name}
            </Descriptions.Item>
          </Descriptions>
          {report.problems.length ? (
            <>
              <Table<Problem & { key: number }>
                data-testid="grid-problems"
                size="small"
                rowKey="key"
                dataSource={report.problems.map((p, i) => ({ ...p, key: i }))}
                pagination={{ pageSize: 10, size: 'small' }}
                rowClassName={(p) => (p.key === focus ? 'ant-table-row-selected' : '')}
                onRow={(p) => ({
                  onClick: () => setFocus(p.key),
                  style: { cursor: p.lng !== null ? 'pointer' : undefined },
                })}
                columns={[
                  { title: '#', width: 44, render: (_, p) => p.key + 1 },
                  { title: t('common.errorCode'), dataIndex: 'code', width: 200 },
                  {
                    title: t('grids.feature'),
                    width: 80,
                    render: (_, p) => (p.feature === null ? '' : p.feature + 1),
                  },
                  {
                    title: t('grids.code'),
                    width: 150,
                    render: (_, p) => p.gridCode ?? p.communityCode ?? '',
                  },
                  { title: t('common.message'), render: (_, p) => pick(p, i18n.language) },
                  {
                    title: t('common.location'),
                    width: 180,
                    render: (_, p) =>
                      p.lng !== null && p.lat !== null ? `${p.lng.toFixed(6)}, ${p.lat.toFixed(6)}` : '',
                  },
                ]}
              />
              <div style={{ marginTop: 8 }}>
                <Typography.Text type="secondary">{t('grids.problemsOnMap')}</Typography.Text>
                <ProblemMap problems={report.problems} shapes={shapes} focus={focus} onFocus={setFocus} />
              </div>
            </>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
