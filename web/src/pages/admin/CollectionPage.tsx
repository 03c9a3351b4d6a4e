/**
 * 信息采集外包: the outsourced collection companies (with their contracted patrol hours per day),
 * their teams, and each team's supervisors. The evaluation ranks teams and companies from these.
 */
import { EditOutlined, PlusOutlined, UserAddOutlined } from '@ant-design/icons';
import { Button, Col, Empty, Row, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CompanyModal, type TeamEditing, TeamModal } from './CollectionModals';
import { type CollectionCompany, type CollectionTeam, useCompanies } from './collection-data';
import { AdminPage } from './shared';
import { TeamMembersModal } from './TeamMembersModal';

function TeamsCard({
  company,
  onEdit,
  onMembers,
}: {
  company: CollectionCompany | null;
  onEdit: (e: TeamEditing) => void;
  onMembers: (team: CollectionTeam) => void;
}) {
  const { t } = useTranslation('admin');
  return (
    <AdminPage
      title={company ? t('collection.teamsOf', { company: company.name }) : t('collection.teams')}
      extra={
        <Button
          type="primary"
          size="small"
          icon={<PlusOutlined />}
          disabled={!company}
          data-testid="action-new-team"
          onClick={() => company && onEdit({ team: null, companyCode: company.code })}
        >
          {t('collection.newTeam')}
        </Button>
      }
    >
      {company ? (
        <Table<CollectionTeam>
          data-testid="team-table"
          size="small"
          rowKey="code"
          dataSource={company.teams}
          pagination={false}
          scroll={{ y: 'calc(100vh - 220px)' }}
          locale={{ emptyText: t('collection.noTeams') }}
          columns={[
            { title: t('common.name'), dataIndex: 'name', width: 170, ellipsis: true },
            { title: t('common.code'), dataIndex: 'code', width: 90, ellipsis: true },
            {
              title: t('collection.members'),
              render: (_, team) =>
                team.members.length ? (
                  <Space size={[0, 4]} wrap data-testid="team-members">
                    {team.members.map((m) => (
                      <Tag key={m.userId} title={m.username}>
                        {m.displayName}
                      </Tag>
                    ))}
                  </Space>
                ) : (
                  <Typography.Text type="secondary" data-testid="team-members">
                    {t('collection.noMembers')}
                  </Typography.Text>
                ),
            },
            {
              title: t('common.actions'),
              width: 96,
              render: (_, team) => (
                <Space size={0}>
                  <Button
                    size="small"
                    type="link"
                    icon={<UserAddOutlined />}
                    title={t('collection.editMembers')}
                    data-testid="action-members"
                    onClick={() => onMembers(team)}
                  />
                  <Button
                    size="small"
                    type="link"
                    icon={<EditOutlined />}
                    title={t('collection.editTeam')}
                    data-testid="action-edit-team"
                    onClick={() => company && onEdit({ team, companyCode: company.code })}
                  />
                </Space>
              ),
            },
          ]}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('collection.pickCompany')} />
      )}
    </AdminPage>
  );
}

export function CollectionPage() {
  const { t } = useTranslation('admin');
  const companies = useCompanies();
  const list = companies.data ?? [];
  const [selected, setSelected] = useState<string | null>(null);
  const [editingCompany, setEditingCompany] = useState<CollectionCompany | 'new' | null>(null);
  const [editingTeam, setEditingTeam] = useState<TeamEditing | null>(null);
  const [membersOf, setMembersOf] = useState<string | null>(null);
  // The chosen company, or the first one so the teams card is never empty without reason.
  const company = list.find((c) => c.code === selected) ?? list[0] ?? null;
  const teams = list.flatMap((c) => c.teams);
  const membersTeam = teams.find((tm) => tm.code === membersOf) ?? null;
  const teamOf = new Map(teams.flatMap((tm) => tm.members.map((m) => [m.userId, tm] as const)));
  return (
    <Row gutter={12}>
      <Col span={12}>
        <AdminPage
          title={t('menu.collection')}
          extra={
            <Button
              type="primary"
              size="small"
              icon={<PlusOutlined />}
              data-testid="action-new-company"
              onClick={() => setEditingCompany('new')}
            >
              {t('collection.newCompany')}
            </Button>
          }
        >
          <Table<CollectionCompany>
            data-testid="company-table"
            size="small"
            rowKey="code"
            loading={companies.isLoading}
            dataSource={list}
            pagination={false}
            scroll={{ y: 'calc(100vh - 220px)' }}
            locale={{ emptyText: t('collection.noCompanies') }}
            rowClassName={(c) => (c.code === company?.code ? 'ant-table-row-selected' : '')}
            onRow={(c) => ({ onClick: () => setSelected(c.code), style: { cursor: 'pointer' } })}
            columns={[
              { title: t('common.name'), dataIndex: 'name', ellipsis: true },
              { title: t('common.code'), dataIndex: 'code', width: 80, ellipsis: true },
              {
                title: t('collection.contractDailyHours'),
                dataIndex: 'contractDailyHours',
                width: 124,
                align: 'right',
                render: (h: number) => t('collection.hours', { h }),
              },
              {
                title: t('collection.teamCount'),
                width: 64,
                align: 'right',
                render: (_, c) => c.teams.length,
              },
              {
                title: t('common.actions'),
                width: 72,
                render: (_, c) => (
                  <Button
                    size="small"
                    type="link"
                    icon={<EditOutlined />}
                    title={t('collection.editCompany')}
                    data-testid="action-edit-company"
                    onClick={(e) => {
                      e.stopPropagation();
                      setEditingCompany(c);
                    }}
                  />
                ),
              },
            ]}
          />
        </AdminPage>
      </Col>
      <Col span={12}>
        <TeamsCard company={company} onEdit={setEditingTeam} onMembers={(tm) => setMembersOf(tm.code)} />
      </Col>
      <CompanyModal editing={editingCompany} onClose={() => setEditingCompany(null)} />
      <TeamModal editing={editingTeam} companies={list} onClose={() => setEditingTeam(null)} />
      <TeamMembersModal team={membersTeam} teamOf={teamOf} onClose={() => setMembersOf(null)} />
    </Row>
  );
}
