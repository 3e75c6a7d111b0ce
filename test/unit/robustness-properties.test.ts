// Property-based robustness checks, few cases with a fixed seed; `npm run test:fuzz` runs many.
import { defineProperties } from '../support/properties';

defineProperties({ runs: Number(process.env.GO_MULTISTAGE_FUZZ_RUNS ?? 60), seed: 20_250_601 });
