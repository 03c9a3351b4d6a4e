/**
 * Grade colours: antd preset names, so the table's tags and the map's fills (the same preset's
 * solid shade) read alike.
 */
export const GRADES = ['A', 'B', 'C', 'D', 'E'] as const;

export const GRADE_COLOR: Record<string, 'green' | 'blue' | 'gold' | 'orange' | 'red'> = {
  A: 'green',
  B: 'blue',
  C: 'gold',
  D: 'orange',
  E: 'red',
};
