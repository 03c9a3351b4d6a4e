import { TaskList } from '../../components/TaskList';
import { useNewTaskCount } from '../../lib/tasks';

/** 核实 and 核查 tasks of the supervisor's grids. */
export const SUPERVISOR_QUEUES = ['verify', 'check'] as const;

export function TasksPage() {
  return <TaskList queues={SUPERVISOR_QUEUES} />;
}

export function useTaskNotice(): number {
  return useNewTaskCount(SUPERVISOR_QUEUES);
}
