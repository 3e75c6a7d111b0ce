/** The `# syntax=` directive that fixes add when they use a feature of the newer frontends. */
import type { DockerfileModel } from '../model/model';
import { detectEol } from '../text/line-index';
import type { TextEdit } from '../types';
import { insertAtOffset } from './fixer';

/** An edit adding `# syntax=docker/dockerfile:1` as the first line (after a byte-order mark). */
export function syntaxDirectiveEdit(model: DockerfileModel): TextEdit {
  const offset = model.text.charCodeAt(0) === 0xfeff ? 1 : 0;
  return insertAtOffset(model, offset, `# syntax=docker/dockerfile:1${detectEol(model.text)}`);
}
