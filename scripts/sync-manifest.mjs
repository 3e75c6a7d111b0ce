// Writes the `goMultistage.rules` settings schema in package.json, and the `rules` of the project
// configuration file's schema (schemas/go-multistage.schema.json), from the rules' own metadata
// (run after adding a rule: `npm run build && npm run sync-manifest`). Unit tests check that
// both agree with the rules.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { RULES, SEVERITY_SETTINGS } = require('../server/dist/core.js');

const path = new URL('../package.json', import.meta.url);
const manifest = JSON.parse(readFileSync(path, 'utf8'));
const rules = manifest.contributes.configuration.properties['goMultistage.rules'];
rules.properties = Object.fromEntries(
  RULES.map((rule) => {
    // An opt-in rule is `off` until the user names it; its severity applies once enabled.
    const optIn = rule.meta.enabledByDefault === false;
    const severity = rule.meta.defaultSeverity;
    return [
      rule.meta.id,
      {
        type: 'string',
        enum: [...SEVERITY_SETTINGS],
        default: optIn ? 'off' : severity,
        markdownDescription: optIn
          ? `${rule.meta.description} Default: \`off\` (reported as \`${severity}\` when enabled).`
          : `${rule.meta.description} Default: \`${severity}\`.`,
      },
    ];
  }),
);
delete rules.definitions;
writeFileSync(path, JSON.stringify(manifest, null, 2) + '\n');
console.log(`package.json: ${RULES.length} rule settings written`);

const schemaPath = new URL('../schemas/go-multistage.schema.json', import.meta.url);
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
schema.properties.rules.properties = rules.properties;
writeFileSync(schemaPath, JSON.stringify(schema, null, 2) + '\n');
console.log(`schemas/go-multistage.schema.json: ${RULES.length} rule settings written`);
