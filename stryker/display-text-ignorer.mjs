// Stryker ignorer: leaves out the bilingual display texts. A mutant of one ('已立案' → '')
// changes what a person reads, never a decision, a time or a score, so it says nothing about
// whether the rules are pinned (issue #11 measures the score "leaving out display texts").
// Skipped:
//  - an object whose every key is `zh` or `en` (the labels of states, actions, indicators,
//    roles, and the messages of refusals): `{ zh: '待立案', en: 'To file' }`;
//  - the value of a `zh` or `en` property inside any other object, e.g. the message of a
//    calendar problem `{ code: 'BAD_DATE', path, zh: `…`, en: `…` }` (its code and path are
//    still mutated).
// Everything else, codes, keys, band limits and the objects holding a message, is mutated.
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

const TEXT_KEYS = new Set(['zh', 'en']);

function keyName(property) {
  if (property.type !== 'ObjectProperty' || property.computed) return undefined;
  if (property.key.type === 'Identifier') return property.key.name;
  if (property.key.type === 'StringLiteral') return property.key.value;
  return undefined;
}

export function isDisplayText(path) {
  const node = path.node;
  if (node.type === 'ObjectExpression')
    return node.properties.length > 0 && node.properties.every((p) => TEXT_KEYS.has(keyName(p)));
  const parent = path.parentPath?.node;
  return path.key === 'value' && parent?.type === 'ObjectProperty' && TEXT_KEYS.has(keyName(parent));
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'display-text', {
    shouldIgnore(path) {
      return isDisplayText(path) ? 'Bilingual display text (zh / en)' : undefined;
    },
  }),
];
