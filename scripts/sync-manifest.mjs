// Writes the `goMultistage.rules` settings schema in package.json from the rules' own metadata
// (run after adding a rule: `npm run build && npm run sync-manifest`). A unit test checks that
// package.json and the rules agree.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { RULES, SEVERITY_SETTINGS } = require('../server/dist/core.js');

const path = new URL('../package.json', import.meta.url);
const manifest = JSON.parse(readFileSync(path, 'utf8'));
const rules = manifest.contributes.configuration.properties['goMultistage.rules'];
rules.properties = Object.fromEntries(
  RULES.map((rule) => [
    rule.meta.id,
    {
      type: 'string',
      enum: [...SEVERITY_SETTINGS],
      default: rule.meta.defaultSeverity,
      markdownDescription: `${rule.meta.description} Default: \`${rule.meta.defaultSeverity}\`.`,
    },
  ]),
);
delete rules.definitions;
writeFileSync(path, JSON.stringify(manifest, null, 2) + '\n');
console.log(`package.json: ${RULES.length} rule settings written`);
