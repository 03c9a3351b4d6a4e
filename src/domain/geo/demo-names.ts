/**
 * Road and place names for the demo gazetteer, per district: real names of Chengdu's 锦江区,
 * 青羊区 and 金牛区, each only ever laid inside its own district on the demo lattice (people who
 * know the city notice at once when 春熙路 turns up in 金牛区). An `anchor` is where the road or
 * place really is (WGS84, approximate): the generator lays it on the lattice line of its district
 * nearest to that spot, so the demo's relative layout resembles the real one.
 */
import type { LngLat } from './crs.js';

export type RoadAxis = 'ns' | 'ew';

export interface NamedRoad {
  name: string;
  /** Real direction of the road (north–south or east–west), when it has a clear one. */
  axis?: RoadAxis;
  anchor?: LngLat;
}

export interface DistrictRoads {
  /** Arterial roads (主干路): long runs of the lattice's main lines. */
  main: readonly NamedRoad[];
  /** Secondary roads and streets (次干路、支路). */
  secondary: readonly NamedRoad[];
}

export const DISTRICT_ROADS: Readonly<Record<string, DistrictRoads>> = {
  // 锦江区
  '510104': {
    main: [
      { name: '红星路', axis: 'ns', anchor: [104.0835, 30.66] },
      { name: '东大街', axis: 'ew', anchor: [104.085, 30.651] },
      { name: '人民东路', axis: 'ew', anchor: [104.073, 30.6585] },
      { name: '总府路', axis: 'ew', anchor: [104.08, 30.6575] },
      { name: '滨江东路', axis: 'ew', anchor: [104.088, 30.646] },
      { name: '下东大街', axis: 'ew', anchor: [104.092, 30.65] },
      { name: '牛市口路', axis: 'ew' },
      { name: '锦华路', axis: 'ns' },
    ],
    secondary: [
      { name: '春熙路', axis: 'ns', anchor: [104.0793, 30.6549] },
      { name: '中纱帽街', axis: 'ew', anchor: [104.0835, 30.6545] },
      { name: '大慈寺路', axis: 'ew', anchor: [104.0855, 30.6575] },
      { name: '提督街', axis: 'ew', anchor: [104.0745, 30.6595] },
      { name: '青年路', axis: 'ns', anchor: [104.0765, 30.6555] },
      { name: '暑袜北街', axis: 'ns', anchor: [104.075, 30.662] },
      { name: '华兴正街', axis: 'ew', anchor: [104.077, 30.653] },
      { name: '梨花街', axis: 'ns', anchor: [104.086, 30.662] },
      { name: '水井街', axis: 'ew', anchor: [104.0935, 30.6505] },
      { name: '书院南街', axis: 'ew', anchor: [104.089, 30.6565] },
      { name: '和平街', axis: 'ns', anchor: [104.0905, 30.655] },
      { name: '镋钯街', axis: 'ew', anchor: [104.0885, 30.659] },
      { name: '天涯石北街', axis: 'ns', anchor: [104.087, 30.6555] },
      { name: '东糠市街', axis: 'ew' },
      { name: '福字街', axis: 'ns' },
      { name: '三官堂街', axis: 'ew' },
      { name: '染房街', axis: 'ns' },
      { name: '大业路', axis: 'ew' },
      { name: '指挥街', axis: 'ew' },
      { name: '莲桂南路', axis: 'ns' },
      { name: '双桂路', axis: 'ew' },
      { name: '海椒市街', axis: 'ns' },
      { name: '静居寺路', axis: 'ew' },
      { name: '锦官驿街', axis: 'ns' },
      { name: '下莲池街', axis: 'ew' },
      { name: '耿家巷', axis: 'ns' },
    ],
  },
  // 青羊区
  '510105': {
    main: [
      { name: '人民中路', axis: 'ns', anchor: [104.066, 30.664] },
      { name: '人民西路', axis: 'ew', anchor: [104.058, 30.6585] },
      { name: '西大街', axis: 'ew', anchor: [104.05, 30.662] },
      { name: '青华路', axis: 'ew', anchor: [104.03, 30.6585] },
      { name: '清江东路', axis: 'ew', anchor: [104.035, 30.6655] },
      { name: '光华大道', axis: 'ew', anchor: [104.0, 30.67] },
      { name: '琴台路', axis: 'ns', anchor: [104.048, 30.6575] },
      { name: '金沙遗址路', axis: 'ns' },
    ],
    secondary: [
      { name: '长顺上街', axis: 'ns', anchor: [104.0555, 30.668] },
      { name: '东城根中街', axis: 'ns', anchor: [104.06, 30.665] },
      { name: '金河路', axis: 'ew', anchor: [104.055, 30.662] },
      { name: '少城路', axis: 'ew', anchor: [104.058, 30.6565] },
      { name: '西御街', axis: 'ew', anchor: [104.062, 30.657] },
      { name: '同仁路', axis: 'ns', anchor: [104.05, 30.664] },
      { name: '支矶石街', axis: 'ew', anchor: [104.0525, 30.6645] },
      { name: '文庙前街', axis: 'ew', anchor: [104.0596, 30.6485] },
      { name: '汪家拐街', axis: 'ew', anchor: [104.064, 30.6515] },
      { name: '宁夏街', axis: 'ew', anchor: [104.058, 30.67] },
      { name: '八宝街', axis: 'ew', anchor: [104.05, 30.67] },
      { name: '草市街', axis: 'ns', anchor: [104.064, 30.673] },
      { name: '文殊院街', axis: 'ew', anchor: [104.0714, 30.6735] },
      { name: '玉沙路', axis: 'ns', anchor: [104.074, 30.673] },
      { name: '浣花北路', axis: 'ns', anchor: [104.034, 30.654] },
      { name: '蜀华街', axis: 'ew' },
      { name: '青龙街', axis: 'ew' },
      { name: '红墙巷', axis: 'ns' },
      { name: '槐树街', axis: 'ew' },
      { name: '祠堂街', axis: 'ew' },
      { name: '实业街', axis: 'ew' },
      { name: '泡桐树街', axis: 'ew' },
      { name: '将军街', axis: 'ns' },
      { name: '吉祥街', axis: 'ew' },
      { name: '多子巷', axis: 'ns' },
    ],
  },
  // 金牛区
  '510106': {
    main: [
      { name: '人民北路', axis: 'ns', anchor: [104.0715, 30.685] },
      { name: '蜀汉路', axis: 'ew', anchor: [104.03, 30.685] },
      { name: '一品天下大街', axis: 'ns', anchor: [104.03, 30.688] },
      { name: '西安中路', axis: 'ew', anchor: [104.045, 30.6715] },
      { name: '交大路', axis: 'ew', anchor: [104.045, 30.6955] },
      { name: '营门口路', axis: 'ew', anchor: [104.035, 30.684] },
      { name: '沙湾路', axis: 'ns', anchor: [104.057, 30.684] },
      { name: '星辉西路', axis: 'ew', anchor: [104.065, 30.693] },
    ],
    secondary: [
      { name: '抚琴东路', axis: 'ns', anchor: [104.046, 30.677] },
      { name: '抚琴西路', axis: 'ns', anchor: [104.04, 30.677] },
      { name: '五块石路', axis: 'ew', anchor: [104.079, 30.6995] },
      { name: '北站西一路', axis: 'ns', anchor: [104.07, 30.695] },
      { name: '马鞍北路', axis: 'ns', anchor: [104.08, 30.684] },
      { name: '解放路', axis: 'ns', anchor: [104.077, 30.688] },
      { name: '白马寺街', axis: 'ew', anchor: [104.066, 30.679] },
      { name: '沙湾东一路', axis: 'ew', anchor: [104.06, 30.683] },
      { name: '营康西路', axis: 'ns', anchor: [104.032, 30.682] },
      { name: '茶店子东街', axis: 'ns', anchor: [104.028, 30.694] },
      { name: '九里堤北路', axis: 'ew', anchor: [104.05, 30.7] },
      { name: '金泉路', axis: 'ew' },
      { name: '黄忠街', axis: 'ns' },
      { name: '星科北街', axis: 'ew' },
      { name: '银沙路', axis: 'ns' },
      { name: '蓉北商贸大道', axis: 'ns' },
      { name: '金仙桥路', axis: 'ew' },
      { name: '花照壁西顺街', axis: 'ew' },
      { name: '迎宾大道', axis: 'ew' },
      { name: '金丝街', axis: 'ns' },
      { name: '土桥街', axis: 'ew' },
      { name: '羊西线', axis: 'ew' },
    ],
  },
};

/** Place categories and how a generated name is built from its road ('{road}' = road without 路/街). */
export const POI_KINDS = [
  { category: '学校', suffix: '小学' },
  { category: '医院', suffix: '社区卫生服务中心' },
  { category: '商场', suffix: '购物中心' },
  { category: '公园', suffix: '公园' },
  { category: '地铁站', suffix: '站' },
  { category: '学校', suffix: '中学' },
  { category: '超市', suffix: '超市' },
  { category: '银行', suffix: '支行' },
  { category: '酒店', suffix: '酒店' },
  { category: '农贸市场', suffix: '农贸市场' },
  { category: '学校', suffix: '幼儿园' },
  { category: '政府机构', suffix: '派出所' },
] as const;

export interface Landmark {
  name: string;
  aliases: readonly string[];
  category: string;
  /** The district the place really is in: the generator never places it anywhere else. */
  district: string;
  anchor: LngLat;
  /** Parks and grounds get an area of their own on the base map. */
  area?: 'park';
}

/** Well-known places with aliases, placed as near their real spot as their district allows. */
export const LANDMARKS: readonly Landmark[] = [
  // 锦江区
  {
    name: '成都国际金融中心',
    aliases: ['IFS', '国金中心'],
    category: '商场',
    district: '510104',
    anchor: [104.0822, 30.6543],
  },
  {
    name: '远洋太古里',
    aliases: ['太古里'],
    category: '商场',
    district: '510104',
    anchor: [104.0847, 30.6542],
  },
  { name: '大慈寺', aliases: [], category: '景区', district: '510104', anchor: [104.0855, 30.6567] },
  {
    name: '春熙路步行街',
    aliases: ['春熙路商圈'],
    category: '商场',
    district: '510104',
    anchor: [104.0795, 30.6555],
  },
  { name: '合江亭', aliases: [], category: '地标', district: '510104', anchor: [104.0905, 30.6455] },
  { name: '九眼桥', aliases: [], category: '地标', district: '510104', anchor: [104.0935, 30.6415] },
  {
    name: '水井坊博物馆',
    aliases: ['水井坊'],
    category: '博物馆',
    district: '510104',
    anchor: [104.0935, 30.6505],
  },
  {
    name: '成都市第二人民医院',
    aliases: ['市二医院'],
    category: '医院',
    district: '510104',
    anchor: [104.0878, 30.6603],
  },
  // 青羊区
  {
    name: '天府广场',
    aliases: [],
    category: '广场',
    district: '510105',
    anchor: [104.0657, 30.6574],
    area: 'park',
  },
  {
    name: '人民公园',
    aliases: [],
    category: '公园',
    district: '510105',
    anchor: [104.0586, 30.6575],
    area: 'park',
  },
  { name: '宽窄巷子', aliases: [], category: '景区', district: '510105', anchor: [104.0535, 30.6638] },
  {
    name: '杜甫草堂',
    aliases: ['草堂'],
    category: '景区',
    district: '510105',
    anchor: [104.0297, 30.6604],
    area: 'park',
  },
  { name: '青羊宫', aliases: [], category: '景区', district: '510105', anchor: [104.0425, 30.6583] },
  {
    name: '百花潭公园',
    aliases: [],
    category: '公园',
    district: '510105',
    anchor: [104.0449, 30.6534],
    area: 'park',
  },
  {
    name: '浣花溪公园',
    aliases: [],
    category: '公园',
    district: '510105',
    anchor: [104.0309, 30.652],
    area: 'park',
  },
  { name: '文殊院', aliases: [], category: '景区', district: '510105', anchor: [104.0714, 30.6733] },
  {
    name: '四川省人民医院',
    aliases: ['省医院'],
    category: '医院',
    district: '510105',
    anchor: [104.0392, 30.663],
  },
  {
    name: '成都石室中学',
    aliases: ['石室中学', '文庙'],
    category: '学校',
    district: '510105',
    anchor: [104.0596, 30.6482],
  },
  { name: '树德中学', aliases: [], category: '学校', district: '510105', anchor: [104.0585, 30.67] },
  { name: '四川博物院', aliases: [], category: '博物馆', district: '510105', anchor: [104.0355, 30.6505] },
  // 金牛区
  {
    name: '成都火车站',
    aliases: ['火车北站'],
    category: '交通枢纽',
    district: '510106',
    anchor: [104.0733, 30.6973],
  },
  {
    name: '金牛万达广场',
    aliases: ['金牛万达'],
    category: '商场',
    district: '510106',
    anchor: [104.058, 30.684],
  },
  {
    name: '茶店子客运站',
    aliases: ['茶店子'],
    category: '交通枢纽',
    district: '510106',
    anchor: [104.024, 30.696],
  },
  {
    name: '营门口立交',
    aliases: ['营门口'],
    category: '地标',
    district: '510106',
    anchor: [104.038, 30.684],
  },
  {
    name: '西南交通大学九里校区',
    aliases: ['交大'],
    category: '学校',
    district: '510106',
    anchor: [104.0458, 30.6964],
  },
  {
    name: '荷花池批发市场',
    aliases: ['荷花池'],
    category: '商场',
    district: '510106',
    anchor: [104.0785, 30.6925],
  },
  { name: '五块石', aliases: [], category: '地标', district: '510106', anchor: [104.079, 30.6995] },
  { name: '沙湾会展中心', aliases: [], category: '地标', district: '510106', anchor: [104.056, 30.6825] },
];

/**
 * The two rivers of the old town (府河 north and east, 南河 south and west) meeting at 合江亭,
 * as approximate centre lines moved onto the demo lattice; drawn as water on the base map.
 */
export const RIVERS: ReadonlyArray<{ name: string; line: readonly LngLat[] }> = [
  {
    name: '府河',
    line: [
      [104.0287, 30.6805],
      [104.045, 30.6795],
      [104.06, 30.677],
      [104.075, 30.6735],
      [104.085, 30.6685],
      [104.0895, 30.66],
      [104.0905, 30.6455],
    ],
  },
  {
    name: '南河',
    line: [
      [104.0287, 30.6565],
      [104.04, 30.6545],
      [104.05, 30.6505],
      [104.06, 30.6475],
      [104.07, 30.6462],
      [104.08, 30.6458],
      [104.0905, 30.6455],
    ],
  },
  {
    name: '锦江',
    line: [
      [104.0905, 30.6455],
      [104.0913, 30.6445],
    ],
  },
];
