/**
 * Text from a Dockerfile or a repository (stage names, `--from` values, file names) shown on a
 * terminal or in a CI log: control characters in it must not act. `ESC [2J` would clear the
 * screen, a carriage return or a newline would forge a line of output, and bidirectional
 * overrides reorder what is displayed. Each is shown as a `\u001b`-style escape instead.
 */

// C0 controls (newline and tab included), DEL, C1 controls (U+009B is a CSI of its own), and
// the bidirectional marks, embeddings, overrides and isolates.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every control character written as `\uXXXX`. */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
