// Pathological inputs at a tenth of their full size; `npm run test:fuzz` runs them in full.
import { definePathological } from '../support/pathological';

definePathological(0.1);
