/**
 * Tells the centre's leaders and the administrator, on every page, that the demo city's
 * history is still being written (figures of older periods fill in as it goes), with a
 * progress bar; gone once it is complete.
 */
import { Alert, Progress, Space } from 'antd';
import { pick } from '../i18n';
import { useDemoStatus } from './status';

export function DemoBanner() {
  const { status } = useDemoStatus();
  const h = status?.history;
  if (!status?.demo || !h || h.finished) return null;
  const percent = Math.min(99, Math.floor((100 * h.daysDone) / Math.max(1, h.days)));
  return (
    <Alert
      data-testid="demo-history-banner"
      type="info"
      showIcon
      banner
      title={
        <Space wrap size={12}>
          <span>
            {pick({
              zh: `演示数据生成中：已写入最近 ${h.daysDone}/${h.days} 天的历史案卷（${h.cases.toLocaleString()} 件），较早时段的统计与评价将陆续完整`,
              en: `Writing the demo history: ${h.daysDone} of ${h.days} recent days in (${h.cases.toLocaleString()} cases); older periods fill in as it goes`,
            })}
          </span>
          <Progress percent={percent} size="small" style={{ width: 160, margin: 0 }} />
        </Space>
      }
    />
  );
}
