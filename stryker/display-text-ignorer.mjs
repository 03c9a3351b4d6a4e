// Stryker ignorer: leaves out the bilingual display texts, the `{ zh, en }` objects that
// name states, actions, indicators and errors for people to read. A mutant of one of them
// ('已立案' → '') changes what a person reads, never a decision, a time or a score, so it
// says nothing about whether the rules are pinned (issue #11 measures the score "leaving
// out display texts"). Only objects whose every key is `zh` or `en` are skipped: codes,
// keys, bands and every other literal next to such an object are still mutated.
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

const TEXT_KEYS = new Set(['zh', 'en']);

function keyName(property) {
  if (property.type !== 'ObjectProperty' || property.computed) return undefined;
  if (property.key.type === 'Identifier') return property.key.name;
  if (property.key.type === 'StringLiteral') return property.key.value;
  return undefined;
}

export function isDisplayText(node) {
  return (
    node.type === 'ObjectExpression' &&
    node.properties.length > 0 &&
    node.properties.every((p) => TEXT_KEYS.has(keyName(p)))
  );
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'display-text', {
    shouldIgnore(path) {
      return isDisplayText(path.node) ? 'Bilingual display text ({ zh, en })' : undefined;
    },
  }),
];
