// The property-based robustness suite at length: many cases, a new seed each run (set
// GO_MULTISTAGE_FUZZ_SEED to replay one), and the real-world corpus among the texts mutated.
import { corpusDockerfiles } from '../support/fixtures';
import { defineProperties } from '../support/properties';

const seed = process.env.GO_MULTISTAGE_FUZZ_SEED;
defineProperties({
  runs: Number(process.env.GO_MULTISTAGE_FUZZ_RUNS ?? 3000),
  seed: seed === undefined ? undefined : Number(seed),
  seeds: corpusDockerfiles().map((f) => f.text),
});
