/**
 * The shared ECharts host (command/EChart) registers only bar charts; the evaluation pages also
 * draw trend lines and pies, so those parts are registered here (echarts' registry is global).
 */
import { LineChart, PieChart } from 'echarts/charts';
import { LegendComponent } from 'echarts/components';
import { use } from 'echarts/core';

use([LineChart, PieChart, LegendComponent]);

export { EChart } from '../command/EChart';
