import path from 'node:path';
import { ROOT } from './templates.js';

/** The console build the browser tests serve (built once by global-setup). */
export const WEB_DIR = path.join(ROOT, 'dist/web');
/** Screenshots saved by the browser tests, to be looked at (test-results/ is git-ignored). */
export const SCREENSHOT_DIR = path.join(ROOT, 'test-results/screens');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
