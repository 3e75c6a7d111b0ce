/**
 * Expands a VS Code snippet body the way the editor does when the user accepts every default:
 * `$1` and `${1}` tab stops, `${1:default}` placeholders (nested ones too), `${1|a,b|}` choices,
 * `$0`, and the `\$`, `\}`, `\\` escapes. Variables (`$NAME`, `${NAME}`) are refused: in a
 * Dockerfile snippet they are almost always a `$` that should have been escaped, which the
 * editor would silently turn into the variable's name.
 */

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'tabstop'; index: number }
  | { kind: 'placeholder'; index: number; children: Node[] }
  | { kind: 'choice'; index: number; options: string[] };

export interface ExpandOptions {
  /** Which option to take for a choice, by tab-stop index (default: the first). */
  choices?: Readonly<Record<number, number>>;
  /** Text to use for a tab stop instead of its default, by index. */
  values?: Readonly<Record<number, string>>;
}

export class SnippetSyntaxError extends Error {}

class Parser {
  private pos = 0;
  constructor(private readonly source: string) {}

  parse(): Node[] {
    const nodes = this.sequence(false);
    if (this.pos < this.source.length) this.fail('unexpected "}"');
    return nodes;
  }

  private fail(message: string): never {
    throw new SnippetSyntaxError(
      `${message} at offset ${this.pos} of ${JSON.stringify(this.source)}`,
    );
  }

  /** Nodes up to the end, or up to an unescaped `}` when inside a placeholder. */
  private sequence(inPlaceholder: boolean): Node[] {
    const nodes: Node[] = [];
    let text = '';
    const flush = () => {
      if (text !== '') nodes.push({ kind: 'text', text });
      text = '';
    };
    while (this.pos < this.source.length) {
      const c = this.source[this.pos];
      if (c === '\\') {
        const next = this.source[this.pos + 1];
        // Only `$`, `}` and `\` are escapable in text; any other backslash is literal.
        if (next === '$' || next === '}' || next === '\\') {
          text += next;
          this.pos += 2;
        } else {
          text += c;
          this.pos += 1;
        }
      } else if (c === '}' && inPlaceholder) {
        break;
      } else if (c === '$') {
        flush();
        nodes.push(this.dollar());
      } else {
        text += c;
        this.pos += 1;
      }
    }
    flush();
    return nodes;
  }

  private dollar(): Node {
    const rest = this.source.slice(this.pos + 1);
    const simple = /^\d+/.exec(rest);
    if (simple) {
      this.pos += 1 + simple[0].length;
      return { kind: 'tabstop', index: Number(simple[0]) };
    }
    if (/^[A-Za-z_]/.test(rest)) this.fail('a variable (unescaped $?)');
    if (rest[0] !== '{') this.fail('a lone "$" (escape it as \\$)');
    const head = /^\{(\d+)/.exec(rest);
    if (!head) this.fail('a variable or malformed "${" (unescaped $?)');
    this.pos += 1 + head[0].length;
    const index = Number(head[1]);
    const c = this.source[this.pos];
    if (c === '}') {
      this.pos += 1;
      return { kind: 'tabstop', index };
    }
    if (c === ':') {
      this.pos += 1;
      const children = this.sequence(true);
      if (this.source[this.pos] !== '}') this.fail('an unclosed placeholder');
      this.pos += 1;
      return { kind: 'placeholder', index, children };
    }
    if (c === '|') {
      this.pos += 1;
      return { kind: 'choice', index, options: this.choiceOptions() };
    }
    return this.fail('a transform or malformed tab stop');
  }

  private choiceOptions(): string[] {
    const options: string[] = [];
    let current = '';
    while (this.pos < this.source.length) {
      const c = this.source[this.pos];
      if (c === '\\' && /[,|\\$}]/.test(this.source[this.pos + 1] ?? '')) {
        current += this.source[this.pos + 1];
        this.pos += 2;
      } else if (c === ',') {
        options.push(current);
        current = '';
        this.pos += 1;
      } else if (c === '|' && this.source[this.pos + 1] === '}') {
        options.push(current);
        this.pos += 2;
        return options;
      } else {
        current += c;
        this.pos += 1;
      }
    }
    return this.fail('an unclosed choice');
  }
}

/** The parsed body, for tests that inspect tab stops. */
export function parseSnippet(body: string): Node[] {
  return new Parser(body).parse();
}

function walk(nodes: readonly Node[], visit: (node: Node) => void): void {
  for (const node of nodes) {
    visit(node);
    if (node.kind === 'placeholder') walk(node.children, visit);
  }
}

/** Tab-stop indexes with the choices offered at each (only for choice tab stops). */
export function choicesOf(body: string): Map<number, string[]> {
  const result = new Map<number, string[]>();
  walk(parseSnippet(body), (node) => {
    if (node.kind === 'choice') result.set(node.index, node.options);
  });
  return result;
}

/** Expands a snippet body (lines joined with `\n` when given as an array). */
export function expandSnippet(
  body: string | readonly string[],
  options: ExpandOptions = {},
): string {
  const source = typeof body === 'string' ? body : body.join('\n');
  const nodes = parseSnippet(source);
  // The editor fills every occurrence of a tab stop with the text of its first occurrence that
  // has content (a placeholder's default or a choice's option).
  const values = new Map<number, string>();
  const render = (list: readonly Node[]): string =>
    list
      .map((node) => {
        switch (node.kind) {
          case 'text':
            return node.text;
          case 'tabstop':
            return values.get(node.index) ?? '';
          case 'placeholder':
            return values.get(node.index) ?? render(node.children);
          case 'choice':
            return values.get(node.index) ?? '';
        }
      })
      .join('');
  for (const [index, value] of Object.entries(options.values ?? {})) {
    values.set(Number(index), value);
  }
  walk(nodes, (node) => {
    if (values.has('index' in node ? node.index : -1)) return;
    if (node.kind === 'placeholder') values.set(node.index, render(node.children));
    if (node.kind === 'choice') {
      const pick = options.choices?.[node.index] ?? 0;
      const option = node.options[pick];
      if (option === undefined) throw new SnippetSyntaxError(`no choice ${pick} at $${node.index}`);
      values.set(node.index, option);
    }
  });
  return render(nodes);
}
