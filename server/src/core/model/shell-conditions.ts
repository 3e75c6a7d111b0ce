/**
 * Which commands of a shell script run only on some condition: the compound commands
 * (`if`, loops, `case`, groups, subshells) and the `&&`/`||` lists around them.
 */
import { programName, type SimpleCommand } from './shell-types';

/** A compound command the script is inside, for `conditional`. */
interface Frame {
  kind: 'if' | 'loop' | 'for' | 'case' | 'group' | 'subshell';
  /** The compound command itself runs conditionally. */
  conditional: boolean;
  /** The part being read is a branch or body that may not run. */
  branch: boolean;
}

// Commands whose exit status is a test: what follows `&&` runs only when the test holds.
const TESTS = new Set(['[', '[[', 'test', 'which', 'type']);

function isTest(command: SimpleCommand): boolean {
  const name = programName(command.words[0]);
  if (name === undefined) return false;
  if (TESTS.has(name)) return true;
  const flags = command.words.slice(1).map((w) => w.text);
  if (name === 'command') return flags.includes('-v') || flags.includes('-V');
  return name === 'grep' && flags.some((f) => /^-[a-zA-Z]*q/.test(f) || f === '--quiet');
}

/** `exit` or `exit 0`: the rest of the script does not run. */
function exitsSuccessfully(command: SimpleCommand): boolean {
  if (programName(command.words[0]) !== 'exit') return false;
  return command.words.length === 1 || command.words[1].text === '0';
}

const MAX_DEPTH = 64;

/**
 * Tracks which commands of a script run conditionally: the compound commands it is inside and
 * the `&&`/`||` list it is reading.
 */
export class Conditions {
  private readonly frames: Frame[] = [];
  /** The command being read follows `||`, or `&&` after a test. */
  private listConditional = false;
  /** The list read so far succeeds only when a test holds. */
  private uncertain = false;
  /** The operator before the command being read. */
  private via: string | undefined;
  /** A conditional `exit 0` was read (or compound commands nest too deep to follow). */
  private exited = false;

  constructor(private readonly outer: boolean) {}

  /**
   * Whether a command starting now runs conditionally. A frame's `conditional` holds what was
   * true when it opened, its parents included, so the innermost frame answers for all.
   */
  now(): boolean {
    const top = this.frames[this.frames.length - 1];
    return (
      this.outer ||
      this.exited ||
      this.listConditional ||
      (top !== undefined && (top.conditional || top.branch))
    );
  }

  /** A keyword at the start of a command (`if`, `then`, `do`, `fi`, `{`, ...). */
  keyword(word: string): void {
    const top = this.frames[this.frames.length - 1];
    switch (word) {
      case 'if':
      case 'while':
      case 'until':
      case 'for':
      case 'select':
      case 'case':
      case '{':
        if (this.frames.length >= MAX_DEPTH) {
          // Not a script anyone writes: take everything after it as conditional.
          this.exited = true;
          return;
        }
        this.frames.push({
          kind:
            word === 'if'
              ? 'if'
              : word === 'while' || word === 'until'
                ? 'loop'
                : word === 'case'
                  ? 'case'
                  : word === '{'
                    ? 'group'
                    : 'for',
          conditional: this.now(),
          // The arms of a case run only when their pattern matches.
          branch: word === 'case',
        });
        this.startList();
        return;
      case 'then':
      case 'elif':
      case 'else':
        if (top?.kind === 'if') top.branch = true;
        this.startList();
        return;
      case 'do':
        // A for loop's body runs for each word, a while loop's maybe never.
        if (top?.kind === 'loop') top.branch = true;
        this.startList();
        return;
      case 'fi':
        this.close('if');
        return;
      case 'done':
        this.close('loop', 'for');
        return;
      case 'esac':
        this.close('case');
        return;
      case '}':
        this.close('group');
        return;
    }
  }

  /** A subshell opens: `( ... )`. */
  openSubshell(): void {
    if (this.frames.length >= MAX_DEPTH) {
      this.exited = true;
      return;
    }
    this.frames.push({ kind: 'subshell', conditional: this.now(), branch: false });
    this.startList();
  }

  /** A `)`: closes a subshell (in a case, it ends a pattern instead). */
  closeParen(): void {
    if (this.frames[this.frames.length - 1]?.kind === 'subshell') this.frames.pop();
  }

  private close(...kinds: Frame['kind'][]): void {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      if (kinds.includes(this.frames[i].kind)) {
        this.frames.length = i;
        break;
      }
    }
    this.startList();
  }

  /** A new list starts (after `;`, `&`, a newline, a keyword). */
  startList(): void {
    this.listConditional = false;
    this.uncertain = false;
    this.via = undefined;
  }

  /** A command was read, followed by `op` (undefined at the end of a line). */
  finished(command: SimpleCommand | undefined, op: string | undefined): void {
    if (command) {
      const test = isTest(command);
      // After `||` the list succeeds when either side does: it is uncertain only if the right
      // side is a test. After `&&` (or first) it needs every command to succeed.
      if (this.via === '||') this.uncertain = test;
      else if (this.via !== '|' && this.via !== '|&') this.uncertain = this.uncertain || test;
      // `exit` leaves only the subshell it is in.
      const inSubshell = this.frames.some((f) => f.kind === 'subshell');
      if (command.conditional && !inSubshell && exitsSuccessfully(command)) this.exited = true;
    }
    switch (op) {
      case '&&':
        this.listConditional = this.uncertain;
        this.via = op;
        return;
      case '||':
        this.listConditional = true;
        this.via = op;
        return;
      case '|':
      case '|&':
        this.via = op;
        return;
      case '(':
        this.openSubshell();
        return;
      case ')':
        this.closeParen();
        this.startList();
        return;
      default:
        this.startList();
    }
  }
}
