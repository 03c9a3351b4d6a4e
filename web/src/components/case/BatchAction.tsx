/**
 * 批量立案 / 批量派遣 on the selected rows of a queue: each case is sent on its own with the
 * version the list showed (a case someone else moved meanwhile is refused, not overwritten);
 * a dispatch goes to the case's first suggested department. The result lists what failed and why.
 */
import { Alert, App, Button, List, Modal, Progress, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api/client';
import type { CaseView } from '../../api/types';
import { useActOnCase } from '../actions/act';
import { useErrorText } from '../errors';
import type { BatchKind } from './queue-actions';

interface Failure {
  number: string;
  why: string;
}

export function BatchAction(props: { kind: BatchKind; selected: CaseView[]; onDone: () => void }) {
  const { kind, selected, onDone } = props;
  const { t } = useTranslation('cases');
  const { modal } = App.useApp();
  const act = useActOnCase();
  const errorText = useErrorText();
  const [running, setRunning] = useState<{ done: number; total: number } | null>(null);
  const [result, setResult] = useState<{ ok: number; failed: Failure[] } | null>(null);

  const departmentFor = async (c: CaseView): Promise<string | null> => {
    const s = await api<{ items: Array<{ department: { code: string } }> }>(
      `/cases/${c.id}/dispatch-suggestions`,
    );
    return s.items[0]?.department.code ?? null;
  };

  const run = async () => {
    const failed: Failure[] = [];
    let ok = 0;
    setRunning({ done: 0, total: selected.length });
    for (const [i, c] of selected.entries()) {
      try {
        if (kind === 'dispatch') {
          const departmentCode = await departmentFor(c);
          if (!departmentCode) throw new Error(t('batch.noSuggestion'));
          await act(c.id, 'dispatch', c.version, { departmentCode });
        } else {
          await act(c.id, 'file', c.version);
        }
        ok += 1;
      } catch (err) {
        failed.push({
          number: c.number,
          why: err instanceof ApiError ? errorText(err) : String((err as Error).message),
        });
      }
      setRunning({ done: i + 1, total: selected.length });
    }
    setRunning(null);
    setResult({ ok, failed });
    onDone();
  };

  const label = t(`batch.${kind}`);
  return (
    <>
      <Button
        type="primary"
        disabled={selected.length === 0 || running !== null}
        data-testid={`batch-${kind}`}
        onClick={() =>
          modal.confirm({
            title: t('batch.confirmTitle', { action: label, count: selected.length }),
            content: kind === 'dispatch' ? t('batch.dispatchHint') : t('batch.fileHint'),
            okText: label,
            onOk: () => void run(),
          })
        }
      >
        {label}
        {selected.length ? `（${selected.length}）` : ''}
      </Button>
      <Modal open={running !== null} closable={false} footer={null} title={label}>
        {running ? (
          <Progress
            percent={Math.round((100 * running.done) / running.total)}
            format={() => `${running.done}/${running.total}`}
          />
        ) : null}
      </Modal>
      <Modal
        open={result !== null}
        title={label}
        onCancel={() => setResult(null)}
        footer={<Button onClick={() => setResult(null)}>{t('batch.close')}</Button>}
      >
        {result ? (
          <div data-testid="batch-result">
            <Alert
              type={result.failed.length ? 'warning' : 'success'}
              showIcon
              title={t('batch.summary', { ok: result.ok, failed: result.failed.length })}
              style={{ marginBottom: 8 }}
            />
            {result.failed.length ? (
              <List
                size="small"
                dataSource={result.failed}
                renderItem={(f) => (
                  <List.Item>
                    <Typography.Text strong>{f.number}</Typography.Text>：{f.why}
                  </List.Item>
                )}
              />
            ) : null}
          </div>
        ) : null}
      </Modal>
    </>
  );
}
