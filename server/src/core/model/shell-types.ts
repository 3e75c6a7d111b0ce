/** The simple commands the shell tokenizer (shell.ts) gives, and their words. */

/** One word of a command after quote removal. Variables are kept as `${NAME}`. */
export interface Word {
  text: string;
  /** The word contains a variable or a command substitution, so its value is not literal. */
  dynamic: boolean;
  /** The word is an unquoted glob pattern. */
  glob: boolean;
}

export interface Redirect {
  op: string;
  target?: Word;
}

/** A simple command: leading `NAME=value` assignments, then the words of the command. */
export interface SimpleCommand {
  assignments: { name: string; value: Word }[];
  words: Word[];
  redirects: Redirect[];
  /** The operator that joined this command to the previous one (`&&`, `||`, `;`, `|`, ...). */
  joinedBy?: string;
  /** Index of the logical line of the script this command came from. */
  line: number;
  /**
   * The command runs only on some condition the script tests: after `||`, after `&&` behind a
   * test (`[ -f x ] && ...`), in an `if`/`elif`/`else` branch, a `case` arm or a `while` body,
   * or after a conditional `exit 0`. Set to true only; absent means it runs whenever the script
   * gets that far.
   */
  conditional?: boolean;
}

export interface ParsedScript {
  commands: SimpleCommand[];
  /** The script uses constructs the analysis does not follow (command substitution, loops). */
  opaque: boolean;
}

/** Basename of a program word (`/usr/local/go/bin/go` → `go`). */
export function programName(word: Word | undefined): string | undefined {
  if (!word) return undefined;
  const slash = word.text.lastIndexOf('/');
  return slash < 0 ? word.text : word.text.slice(slash + 1);
}
