/**
 * Name pools for the demo city. Street and community names are real places in
 * Chengdu's core districts; which street gets which communities is made up.
 */

export interface DistrictSpec {
  code: string;
  name: string;
  /** Relative share of the city's cells. */
  weight: number;
  streetNames: readonly string[];
  communityNames: readonly string[];
}

export const CITY = { code: '510100', name: '成都市' } as const;

/**
 * In the order the space-filling curve visits them: west (青羊), north (金牛), east (锦江),
 * which roughly matches the real map around 天府广场.
 */
export const DISTRICTS: readonly DistrictSpec[] = [
  {
    code: '510105',
    name: '青羊区',
    weight: 1,
    streetNames: [
      '少城街道',
      '草市街街道',
      '府南街道',
      '西御河街道',
      '光华街道',
      '金沙街道',
      '苏坡街道',
      '黄田坝街道',
    ],
    communityNames: [
      '宽窄巷子社区',
      '东城根街社区',
      '西马棚社区',
      '过街楼社区',
      '太升路社区',
      '长顺街社区',
      '八宝街社区',
      '文殊院社区',
      '青华路社区',
      '浣花溪社区',
      '草堂社区',
      '百花潭社区',
      '金沙社区',
      '光华社区',
      '清源社区',
      '人民公园社区',
    ],
  },
  {
    code: '510106',
    name: '金牛区',
    weight: 1.15,
    streetNames: [
      '西安路街道',
      '人民北路街道',
      '荷花池街道',
      '驷马桥街道',
      '抚琴街道',
      '茶店子街道',
      '九里堤街道',
      '营门口街道',
    ],
    communityNames: [
      '抚琴西路社区',
      '营门口社区',
      '茶店子社区',
      '九里堤社区',
      '五块石社区',
      '荷花池社区',
      '西安中路社区',
      '人民北路社区',
      '驷马桥社区',
      '沙湾社区',
      '金泉社区',
      '花照壁社区',
      '蓉北社区',
      '交大路社区',
      '西华社区',
      '星辉西路社区',
    ],
  },
  {
    code: '510104',
    name: '锦江区',
    weight: 1,
    streetNames: [
      '春熙路街道',
      '书院街街道',
      '合江亭街道',
      '督院街街道',
      '盐市口街道',
      '水井坊街道',
      '牛市口街道',
      '狮子山街道',
    ],
    communityNames: [
      '红星路社区',
      '大慈寺社区',
      '天涯石社区',
      '和平街社区',
      '镋钯街社区',
      '耿家巷社区',
      '东糠市街社区',
      '水井坊社区',
      '交子街社区',
      '莲桂南路社区',
      '静居寺社区',
      '海椒市社区',
      '双桂路社区',
      '东光社区',
      '锦官驿社区',
      '望平社区',
    ],
  },
];

/** Streets per district and communities per street (the latter drawn per seed). */
export const STREETS_PER_DISTRICT = 4;
export const MIN_COMMUNITIES_PER_STREET = 2;
export const MAX_COMMUNITIES_PER_STREET = 3;
