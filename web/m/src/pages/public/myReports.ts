/** Tracking codes of the reports made on this phone, newest first (nothing else is kept). */
const KEY = 'cityloop.m.myReports';

export function myCodes(): string[] {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '[]') as string[];
  } catch {
    return [];
  }
}

export function rememberCode(code: string): void {
  localStorage.setItem(KEY, JSON.stringify([code, ...myCodes().filter((c) => c !== code)].slice(0, 20)));
}
