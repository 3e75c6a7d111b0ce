// Pathological inputs at full size: 1 MB lines, 50,000 lines, 256 KB of binary garbage.
import { definePathological } from '../support/pathological';

definePathological(1);
