/**
 * Made-up Chinese personal names for the demo staff: a common surname and a one- or
 * two-character given name, drawn from the city's seeded stream and never repeated.
 */
import type { Random } from './prng.js';

/** Common surnames (roughly by frequency). */
const SURNAMES: readonly string[] = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范廖',
];

/**
 * Given-name characters. None of them forms a post name (受理, 值班, 监督 …) with its
 * neighbour, so a text search for a post still finds only the named demo logins.
 */
const GIVEN: readonly string[] = [
  ...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国文辉力斌宇浩凯鹏欣婷雪琳晨旭峰波蓉川红梅晓东海志春燕亮飞俊颖倩佳',
];

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

/**
 * `count` distinct names, none in `taken`. About a third get a one-character given name, as
 * in real rosters. Throws rather than loop forever if the pools could not supply them.
 */
export function personNames(random: Random, count: number, taken: Iterable<string> = []): string[] {
  const used = new Set(taken);
  const out: string[] = [];
  for (let attempt = 0; out.length < count; attempt++) {
    if (attempt > count * 50 + 1000) throw new Error(`cannot draw ${count} distinct demo names`);
    const given = random() < 0.35 ? pick(random, GIVEN) : pick(random, GIVEN) + pick(random, GIVEN);
    const name = pick(random, SURNAMES) + given;
    if (used.has(name) || (given.length === 2 && given[0] === given[1])) continue;
    used.add(name);
    out.push(name);
  }
  return out;
}
