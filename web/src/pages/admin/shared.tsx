/** Small pieces every admin page shares: the page frame, export, file import and error tables. */
import { UploadOutlined } from '@ant-design/icons';
import { Button, Card, Table, Upload } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, download } from '../../api/client';
import { useShowError } from '../../components/errors';
import { pick } from '../../i18n';

export function AdminPage({
  title,
  extra,
  children,
}: {
  title: ReactNode;
  extra?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card title={title} extra={extra} size="small" styles={{ body: { padding: 12 } }}>
      {children}
    </Card>
  );
}

export interface ExportColumn {
  key: string;
  title: string;
}

/** Exports rows already loaded in the browser through the server's generic xlsx writer. */
export function useExportXlsx() {
  const showError = useShowError();
  return async (title: string, columns: ExportColumn[], rows: Array<Record<string, unknown>>) => {
    try {
      await download('/export/xlsx', { body: { title, columns, rows } });
    } catch (err) {
      showError(err);
    }
  };
}

/** A file picker button that hands the chosen file over instead of uploading it itself. */
export function FilePick({
  accept,
  onFile,
  children,
  testId,
  loading,
}: {
  accept: string;
  onFile: (file: File) => void;
  children: ReactNode;
  testId: string;
  loading?: boolean;
}) {
  return (
    <Upload
      accept={accept}
      showUploadList={false}
      beforeUpload={(file) => {
        onFile(file);
        return false;
      }}
    >
      <Button size="small" icon={<UploadOutlined />} data-testid={testId} loading={loading}>
        {children}
      </Button>
    </Upload>
  );
}

/** One error of a row-by-row import, whatever module reported it. */
export interface ImportError {
  row?: number;
  index?: number;
  column?: string | null;
  field?: string;
  code?: string;
  value?: string | null;
  message: { zh: string; en: string };
}

/** The row errors an import endpoint put in `details.errors`, if the error is one of those. */
export function importErrorsOf(err: unknown): ImportError[] | null {
  if (!(err instanceof ApiError)) return null;
  const details = err.details as { errors?: ImportError[] } | null;
  return Array.isArray(details?.errors) ? details.errors : null;
}

export function ImportErrorTable({ errors }: { errors: ImportError[] }) {
  const { t, i18n } = useTranslation('admin');
  return (
    <Table<ImportError & { key: number }>
      data-testid="import-errors"
      size="small"
      rowKey="key"
      dataSource={errors.map((e, i) => ({ ...e, key: i }))}
      pagination={{ pageSize: 10, size: 'small' }}
      columns={[
        {
          title: t('common.row'),
          width: 70,
          render: (_, e) => e.row ?? (e.index !== undefined ? e.index + 1 : ''),
        },
        { title: t('common.field'), width: 120, render: (_, e) => e.column ?? e.field ?? '' },
        { title: t('common.errorCode'), width: 180, dataIndex: 'code' },
        { title: t('common.message'), render: (_, e) => pick(e.message, i18n.language) },
      ]}
    />
  );
}

/** Reads a chosen file as text (GeoJSON uploads go as JSON bodies). */
export function readText(file: File): Promise<string> {
  return file.text();
}
