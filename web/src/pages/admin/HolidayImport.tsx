/**
 * 导入节假日安排: the State Council's notice typed into a table (CSV or xlsx) is checked row by
 * row on the server (dryRun), shown, then imported for the year — all or nothing.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ButtonProps } from 'antd';
import { Alert, App, Button, Modal, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { download, uploadRaw } from '../../api/client';
import { useShowError } from '../../components/errors';
import { FilePick, type ImportError, ImportErrorTable, importErrorsOf } from './shared';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface ImportResult {
  dryRun: boolean;
  year: number;
  holidays: number;
  makeupWorkdays: number;
}

export function HolidayImport({
  calendarId,
  open,
  initialYear,
  onClose,
  onImported,
}: {
  calendarId: string;
  open: boolean;
  initialYear: number;
  onClose: () => void;
  onImported: (year: number) => void;
}) {
  const { t } = useTranslation('admin');
  const { message } = App.useApp();
  const showError = useShowError();
  const qc = useQueryClient();
  const [year, setYear] = useState(initialYear);
  const [file, setFile] = useState<File | null>(null);
  const [checked, setChecked] = useState<ImportResult | null>(null);
  const [errors, setErrors] = useState<ImportError[] | null>(null);

  const send = (f: File, dryRun: boolean) => {
    const type = /\.csv$/i.test(f.name) ? 'text/csv' : XLSX;
    return uploadRaw<ImportResult>(`/calendars/${calendarId}/years/${year}/import`, new Blob([f], { type }), {
      dryRun,
    });
  };
  const check = useMutation({
    mutationFn: (f: File) => send(f, true),
    onMutate: () => {
      setChecked(null);
      setErrors(null);
    },
    onSuccess: setChecked,
    onError: (err) => {
      const rows = importErrorsOf(err);
      if (rows) setErrors(rows);
      else showError(err);
    },
  });
  const commit = useMutation({
    mutationFn: (f: File) => send(f, false),
    onSuccess: async (res) => {
      void message.success(t('calendars.imported', { year: res.year }));
      await qc.invalidateQueries({ queryKey: ['admin', 'calendar', calendarId] });
      await qc.invalidateQueries({ queryKey: ['admin', 'holiday-coverage'] });
      onImported(res.year);
      onClose();
    },
    onError: showError,
  });
  const years = Array.from({ length: 4 }, (_, i) => dayjs().year() - 1 + i);

  return (
    <Modal
      open={open}
      width={760}
      title={t('calendars.importTitle')}
      onCancel={onClose}
      onOk={() => file && commit.mutate(file)}
      okText={t('calendars.doImport')}
      confirmLoading={commit.isPending}
      okButtonProps={{ disabled: !checked, 'data-testid': 'holiday-import-commit' } as ButtonProps}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('calendars.importHint', { year })}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <span>{t('calendars.importYear')}</span>
        <Select
          size="small"
          data-testid="holiday-import-year"
          style={{ width: 90 }}
          value={year}
          onChange={(y) => {
            setYear(y);
            setChecked(null);
            setErrors(null);
          }}
          options={years.map((y) => ({ value: y, label: y }))}
        />
        <Button
          size="small"
          data-testid="holiday-template-xlsx"
          onClick={() =>
            download('/calendars/templates/holidays', { query: { format: 'xlsx', year } }).catch(showError)
          }
        >
          {t('calendars.templateXlsx')}
        </Button>
        <Button
          size="small"
          onClick={() =>
            download('/calendars/templates/holidays', { query: { format: 'csv', year } }).catch(showError)
          }
        >
          {t('calendars.templateCsv')}
        </Button>
        <FilePick
          accept=".csv,.xlsx"
          testId="holiday-import-file"
          loading={check.isPending}
          onFile={(f) => {
            setFile(f);
            check.mutate(f);
          }}
        >
          {t('calendars.pickFile')}
        </FilePick>
      </Space>
      {file ? <Typography.Paragraph>{file.name}</Typography.Paragraph> : null}
      {checked ? (
        <Alert
          type="success"
          showIcon
          data-testid="holiday-import-checked"
          title={t('calendars.checked', {
            year: checked.year,
            holidays: checked.holidays,
            makeup: checked.makeupWorkdays,
          })}
        />
      ) : null}
      {errors ? <ImportErrorTable errors={errors} /> : null}
    </Modal>
  );
}
