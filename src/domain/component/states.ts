/** Component state (部件状态, GB/T 30428.2): 完好 / 破损 / 丢失 / 占用. */
export const COMPONENT_STATES = ['intact', 'damaged', 'missing', 'occupied'] as const;
export type ComponentState = (typeof COMPONENT_STATES)[number];

export const STATE_LABELS: Record<ComponentState, { zh: string; en: string }> = {
  intact: { zh: '完好', en: 'Intact' },
  damaged: { zh: '破损', en: 'Damaged' },
  missing: { zh: '丢失', en: 'Missing' },
  occupied: { zh: '占用', en: 'Occupied' },
};

/** Accepts the stored English value or the Chinese label (as found in registers and sheets). */
export function parseState(value: string): ComponentState | null {
  const v = value.trim();
  for (const state of COMPONENT_STATES) {
    if (v === state || v === STATE_LABELS[state].zh || v.toLowerCase() === state) return state;
  }
  return null;
}

/** Position accuracy classes: A ≤ 0.5 m (covers, lamps), B ≤ 1 m, C ≤ 10 m. */
export const ACCURACY_CLASSES = ['A', 'B', 'C'] as const;
export type AccuracyClass = (typeof ACCURACY_CLASSES)[number];
