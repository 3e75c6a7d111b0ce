/**
 * The modules a `go.mod` requires (single-line and block `require` directives). gomod.ts reads
 * only what the toolchain rules need; this is for rules that look at dependencies.
 */

/** Module paths required by a go.mod's text, direct and indirect. */
export function requiredModules(goMod: string | undefined): Set<string> {
  const modules = new Set<string>();
  if (goMod === undefined) return modules;
  let inBlock = false;
  for (const raw of goMod.split(/\r?\n/)) {
    const comment = raw.indexOf('//');
    const line = (comment >= 0 ? raw.slice(0, comment) : raw).trim();
    if (line === '') continue;
    if (inBlock) {
      if (line.startsWith(')')) inBlock = false;
      else modules.add(line.split(/\s+/)[0].replace(/^"|"$/g, ''));
      continue;
    }
    if (!/^require\s/.test(line)) continue;
    const rest = line.slice('require'.length).trim();
    if (rest.startsWith('(')) inBlock = !rest.includes(')');
    else modules.add(rest.split(/\s+/)[0].replace(/^"|"$/g, ''));
  }
  return modules;
}

/**
 * Modules that compile a set of root certificates into the binary, used when the system has
 * none (a scratch image): golang.org/x/crypto/x509roots/fallback and github.com/breml/rootcerts.
 */
export const EMBEDDED_ROOTS_MODULES: readonly string[] = [
  'golang.org/x/crypto/x509roots/fallback',
  'github.com/breml/rootcerts',
];
