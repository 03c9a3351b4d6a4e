/**
 * The supervisors (监督员 / 信息采集员) of one collection team. The picker searches the users API
 * (role supervisor) on the server, so a city with hundreds of supervisors needs no full list.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ButtonProps } from 'antd';
import { App, Modal, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useShowError } from '../../components/errors';
import { COMPANIES_KEY, type CollectionTeam } from './collection-data';

interface SupervisorView {
  id: number;
  username: string;
  displayName: string;
}

const SEARCH_LIMIT = 50;

const labelOf = (u: { displayName: string; username: string }) => `${u.displayName}（${u.username}）`;

/** The search text, settled: one request per pause in typing rather than per key. */
function useSettled(text: string, ms = 300): string {
  const [settled, setSettled] = useState(text);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(text), ms);
    return () => clearTimeout(timer);
  }, [text, ms]);
  return settled;
}

/** Props of the dialog: the team, and every supervisor's current team (a member moves when chosen). */
interface Props {
  team: CollectionTeam;
  teamOf: ReadonlyMap<number, { code: string; name: string }>;
  onClose: () => void;
}

function MembersPicker({ team, teamOf, onClose }: Props) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const qc = useQueryClient();
  const [chosen, setChosen] = useState<number[]>(() => team.members.map((m) => m.userId));
  const [text, setText] = useState('');
  const q = useSettled(text.trim());
  const found = useQuery({
    queryKey: ['admin', 'users', 'supervisors', q],
    queryFn: ({ signal }) =>
      api<{ items: SupervisorView[]; total: number }>('/users', {
        signal,
        query: { role: 'supervisor', q: q || undefined, limit: SEARCH_LIMIT },
      }),
    placeholderData: keepPreviousData,
  });
  // Labels of everyone ever seen here, so a chosen member keeps their name when a search hides them.
  const [known, setKnown] = useState(() => new Map(team.members.map((m) => [m.userId, labelOf(m)] as const)));
  useEffect(() => {
    const items = found.data?.items ?? [];
    if (items.length === 0) return;
    setKnown((prev) => {
      const next = new Map(prev);
      for (const u of items) next.set(u.id, labelOf(u));
      return next;
    });
  }, [found.data]);
  const elsewhere = (id: number) => {
    const other = teamOf.get(id);
    return other && other.code !== team.code ? ` · ${t('collection.inTeam', { team: other.name })}` : '';
  };
  const shown = new Map<number, string>();
  for (const id of chosen) shown.set(id, known.get(id) ?? String(id));
  for (const u of found.data?.items ?? []) shown.set(u.id, labelOf(u));
  const options = [...shown].map(([value, label]) => ({ value, label: `${label}${elsewhere(value)}` }));

  const save = useMutation({
    mutationFn: () =>
      api(`/collection/teams/${encodeURIComponent(team.code)}/members`, {
        method: 'PUT',
        body: { userIds: chosen },
      }),
    onSuccess: async () => {
      void message.success(tc('state.saved'));
      await qc.invalidateQueries({ queryKey: COMPANIES_KEY });
      onClose();
    },
    onError: showError,
  });

  return (
    <Modal
      open
      title={t('collection.membersOf', { team: team.name })}
      onCancel={onClose}
      onOk={() => save.mutate()}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'members-save' } as ButtonProps}
    >
      <Typography.Paragraph type="secondary">{t('collection.membersHint')}</Typography.Paragraph>
      <Select<number[]>
        data-testid="members-select"
        mode="multiple"
        style={{ width: '100%' }}
        placeholder={t('collection.pickSupervisors')}
        value={chosen}
        onChange={(ids) => {
          setChosen(ids);
          setText(''); // the next search starts afresh, as in a plain multi-select
        }}
        options={options}
        loading={found.isFetching}
        notFoundContent={found.isFetching ? tc('state.loading') : t('collection.noSupervisor')}
        showSearch={{ filterOption: false, searchValue: text, onSearch: setText }}
        onBlur={() => setText('')}
      />
    </Modal>
  );
}

/** Opens for a team; the picker mounts afresh each time so it starts from the saved members. */
export function TeamMembersModal({ team, ...rest }: Omit<Props, 'team'> & { team: CollectionTeam | null }) {
  return team ? <MembersPicker key={team.code} team={team} {...rest} /> : null;
}
