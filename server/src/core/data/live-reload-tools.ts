// The live-reload tools of Go development images, one list for the rules and the conversion.

/**
 * Live-reload tools: they watch the sources and rebuild the program (with the go command, or a
 * command of their configuration) whenever one changes, inside the container.
 */
export const LIVE_RELOAD_TOOLS: ReadonlySet<string> = new Set([
  'air',
  'reflex',
  'CompileDaemon',
  'compiledaemon',
  'gow',
  'wgo',
  'realize',
  'fresh',
  'gin',
  'modd',
  'gowatch',
  'watchexec',
  'nodemon',
  'entr',
]);
