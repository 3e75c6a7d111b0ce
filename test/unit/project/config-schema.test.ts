import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Ajv from 'ajv';
import { parseConfig } from '../../../server/src/project/config';
import { repoRoot } from '../../support/paths';

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const schemaPath = join(repoRoot, 'schemas', 'go-multistage.schema.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));

describe('the configuration file schema', () => {
  test('is contributed to VS Code for .go-multistage.json and packaged', () => {
    assert.deepEqual(manifest.contributes.jsonValidation, [
      { fileMatch: '.go-multistage.json', url: './schemas/go-multistage.schema.json' },
    ]);
    const ignore = readFileSync(join(repoRoot, '.vscodeignore'), 'utf8').split('\n');
    assert.ok(ignore.includes('!schemas/**'));
  });

  test('lists every rule as the goMultistage.rules setting does', () => {
    assert.deepEqual(
      schema.properties.rules.properties,
      manifest.contributes.configuration.properties['goMultistage.rules'].properties,
    );
  });

  test('accepts what the reader takes whole, and rejects what it leaves out', () => {
    const validate = new Ajv({ strict: false }).compile(schema);
    const good = {
      $schema: './node_modules/go-multistage/schemas/go-multistage.schema.json',
      targets: ['production'],
      rules: { 'unreachable-stage': 'off' },
      runtimeImage: 'alpine:3.24',
      convertLayout: 'dev-build-runtime',
      goMod: 'go.mod',
      dockerfiles: { 'docker/Dockerfile.api': { targets: ['api'] } },
    };
    assert.equal(validate(good), true, JSON.stringify(validate.errors));
    const parsed = parseConfig(JSON.stringify(good));
    assert.ok(parsed.ok && parsed.problems.length === 0);
    for (const bad of [
      { colour: 'blue' },
      { rules: { 'no-such-rule': 'off' } },
      { rules: { 'unreachable-stage': 'loud' } },
      { convertLayout: 'sideways' },
      { targets: 'production' },
      { dockerfiles: { Dockerfile: { platforms: [] } } },
    ]) {
      assert.equal(validate(bad), false, JSON.stringify(bad));
      const read = parseConfig(JSON.stringify(bad));
      assert.ok(!read.ok || read.problems.length > 0, JSON.stringify(bad));
    }
  });
});
