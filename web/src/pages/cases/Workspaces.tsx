/** The role workspaces: the same queue view, each with the queues that role acts on. */
import { PlusOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useSession } from '../../auth/session';
import { type Queue, QueueWorkspace } from '../../components/case/QueueWorkspace';

/**
 * Queues per role, read off the workflow table (src/domain/workflow/table*.ts): the intake
 * operator takes in reports, watches verification, sends check tasks (handled → 待核查); the
 * shift leader files, closes and approves voiding; the dispatcher dispatches, approves returns,
 * extensions and suspensions and resumes suspended cases; departments sign, handle and claim.
 */
export const ROLE_QUEUES = {
  intake: ['intake', 'verify', 'file', 'check'],
  shift_leader: ['file', 'close', 'approve', 'intake', 'verify'],
  dispatcher: ['dispatch', 'approve', 'suspended', 'sign', 'ownership'],
  department: ['sign', 'handle', 'approve', 'ownership'],
  handler: ['handle'],
  supervisor: ['verify', 'check'],
} as const satisfies Record<string, readonly Queue[]>;

export function IntakeWorkspace() {
  const { t } = useTranslation('cases');
  const navigate = useNavigate();
  const { session } = useSession();
  const role = session?.user.role;
  // Only intake operators take reports by phone (the workflow's reporters); the shift leader and
  // admin open this page to watch the intake queues.
  const queues = role === 'shift_leader' ? ROLE_QUEUES.shift_leader : ROLE_QUEUES.intake;
  return (
    <QueueWorkspace
      title={t('menu.intake')}
      queues={queues}
      testId="intake-workspace"
      extra={
        role === 'intake' ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => navigate('/intake/new')}
            data-testid="new-case"
          >
            {t('workspace.newCase')}
          </Button>
        ) : null
      }
    />
  );
}

export function ShiftWorkspace() {
  const { t } = useTranslation('cases');
  return (
    <QueueWorkspace title={t('menu.shift')} queues={ROLE_QUEUES.shift_leader} testId="shift-workspace" />
  );
}

export function DispatchWorkspace() {
  const { t } = useTranslation('cases');
  return (
    <QueueWorkspace title={t('menu.dispatch')} queues={ROLE_QUEUES.dispatcher} testId="dispatch-workspace" />
  );
}

export function DepartmentWorkspace() {
  const { t } = useTranslation('cases');
  const { session } = useSession();
  const queues = session?.user.role === 'handler' ? ROLE_QUEUES.handler : ROLE_QUEUES.department;
  return <QueueWorkspace title={t('menu.department')} queues={queues} testId="department-workspace" />;
}

export function SupervisorWorkspace() {
  const { t } = useTranslation('cases');
  return (
    <QueueWorkspace
      title={t('menu.supervisor')}
      queues={ROLE_QUEUES.supervisor}
      testId="supervisor-workspace"
    />
  );
}
