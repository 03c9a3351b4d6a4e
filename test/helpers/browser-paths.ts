import path from 'node:path';
import { ROOT } from './templates.js';

/** Console builds for the browser tests, one per source version (made by global-setup). */
export const WEB_CACHE = path.join(ROOT, 'node_modules/.cache/cityloop-web');
/** Screenshots saved by the browser tests, to be looked at (test-results/ is git-ignored). */
export const SCREENSHOT_DIR = path.join(ROOT, 'test-results/screens');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
