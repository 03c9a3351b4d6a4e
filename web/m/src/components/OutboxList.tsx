/** What waits on the phone, what was sent (with the case number) and what was refused (why). */
import { Button, Dialog, Empty, List, Space, Tag } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { api } from '../../../src/api/client';
import { fmtTime, usePick } from '../lib/text';
import { kick, retryItem } from '../outbox/sender';
import { type OutboxItem, removeItem } from '../outbox/store';
import { useOutbox } from '../outbox/useOutbox';

const COLORS = { waiting: 'warning', sending: 'primary', failed: 'danger', sent: 'success' } as const;

function photoCount(item: OutboxItem) {
  return Object.values(item.photos).reduce((n, b) => n + b.length, 0);
}

export function OutboxList({ owner }: { owner: string }) {
  const { t, i18n } = useTranslation('mobile');
  const pick = usePick();
  const items = useOutbox(owner);
  if (!items) return null;
  const shown = items.filter((i) => i.kind !== 'positions' || i.status !== 'sent');
  if (shown.length === 0) return <Empty description={t('outbox.empty')} data-testid="outbox-empty" />;
  const retry = async (item: OutboxItem) => {
    // A refused action was refused for the case version it carried: send it with the current one.
    if (item.kind === 'action' && item.error?.code === 'CASE_VERSION_CONFLICT') {
      const id = item.path.split('/')[2];
      const fresh = await api<{ version: number }>(`/cases/${id}`).catch(() => null);
      await retryItem(item.id, fresh ? { version: fresh.version } : undefined);
    } else await retryItem(item.id);
  };
  const result = (item: OutboxItem) => {
    const r = item.result as { number?: string; trackingCode?: string } | undefined;
    return r?.number ?? r?.trackingCode ?? '';
  };
  return (
    <List data-testid="outbox-list">
      {shown
        .slice()
        .reverse()
        .map((item) => (
          <List.Item
            key={item.id}
            data-testid="outbox-item"
            data-status={item.status}
            description={
              <Space direction="vertical" style={{ '--gap': '2px' }}>
                <span>
                  {fmtTime(new Date(item.createdAt).toISOString(), i18n.language)}
                  {photoCount(item) > 0 && ` · ${t('outbox.photos', { n: photoCount(item) })}`}
                  {item.attempts > 0 &&
                    item.status !== 'sent' &&
                    ` · ${t('outbox.attempts', { n: item.attempts })}`}
                </span>
                {item.status === 'sent' && result(item) && (
                  <span data-testid="outbox-result">{result(item)}</span>
                )}
                {item.error && item.status !== 'sent' && (
                  <span
                    className={item.status === 'failed' ? 'error-text' : 'muted'}
                    data-testid="outbox-error"
                  >
                    {pick(item.error.messages)}
                  </span>
                )}
                {item.status === 'failed' && (
                  <Space>
                    <Button size="mini" color="primary" onClick={() => void retry(item)}>
                      {t('outbox.retry')}
                    </Button>
                    <Button
                      size="mini"
                      onClick={async () => {
                        if (await Dialog.confirm({ content: t('outbox.confirmDelete') }))
                          await removeItem(item.id);
                      }}
                    >
                      {t('outbox.delete')}
                    </Button>
                  </Space>
                )}
              </Space>
            }
            extra={<Tag color={COLORS[item.status]}>{t(`outbox.status.${item.status}`)}</Tag>}
          >
            {item.title}
          </List.Item>
        ))}
      {shown.some((i) => i.status === 'waiting') && (
        <List.Item>
          <Button size="small" block onClick={kick}>
            {t('outbox.sendNow')}
          </Button>
        </List.Item>
      )}
    </List>
  );
}
