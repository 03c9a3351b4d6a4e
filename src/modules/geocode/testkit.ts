/** Asserts the error envelope of the platform and returns the error. */
export { expectError } from '../../../test/helpers/errors.js';

export const q = (s: string) => encodeURIComponent(s);
