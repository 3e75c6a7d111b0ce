/**
 * Watches the bytes a client sends over stdio for the LSP base protocol's framing: header lines
 * (`Content-Length: N`, optionally `Content-Type`), a blank line, then N bytes of body. The
 * JSON-RPC library skips a header it cannot read and then waits, silently and for ever, for a
 * frame that will not come; a peer that does not speak LSP (or whose stream broke) should rather
 * make the server stop, and say why.
 */

/** Larger than any message a client sends (VS Code does not sync files over 50 MB). */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
/** Longer than any header block a client sends. */
const MAX_HEADER_BYTES = 8 * 1024;

const CRLF_CRLF = Buffer.from('\r\n\r\n');

export class FramingWatcher {
  private header = Buffer.alloc(0);
  /** Body bytes still to come of the current frame; -1 while reading a header. */
  private bodyLeft = -1;
  private broken: string | undefined;

  /** Why the framing broke, or undefined while it holds. */
  get problem(): string | undefined {
    return this.broken;
  }

  /** Follows a chunk of the stream; returns the problem when it breaks the framing. */
  push(chunk: Buffer): string | undefined {
    let at = 0;
    while (this.broken === undefined && at < chunk.length) {
      if (this.bodyLeft > 0) {
        const taken = Math.min(this.bodyLeft, chunk.length - at);
        this.bodyLeft -= taken;
        at += taken;
        continue;
      }
      // Reading a header: up to the blank line that ends it.
      this.header = Buffer.concat([this.header, chunk.subarray(at)]);
      const end = this.header.indexOf(CRLF_CRLF);
      if (end < 0) {
        this.checkPartialHeader(this.header.toString('latin1'));
        return this.broken;
      }
      const consumed = chunk.length - at - (this.header.length - (end + CRLF_CRLF.length));
      const length = this.contentLength(this.header.subarray(0, end).toString('latin1'));
      this.header = Buffer.alloc(0);
      at += consumed;
      if (length !== undefined) this.bodyLeft = length;
    }
    return this.broken;
  }

  /** Judges what has come of a header so far: complete lines must already be headers. */
  private checkPartialHeader(header: string): void {
    if (header.length > MAX_HEADER_BYTES) return void this.fail('a header longer than 8 KiB');
    if (/(^|[^\r])\n/.test(header))
      return void this.fail(`a line not ended by CRLF: ${show(header)}`);
    const lines = header.split('\r\n');
    for (const line of lines.slice(0, -1)) {
      if (line.indexOf(':') <= 0)
        return void this.fail(`a header line that is not "Name: value": ${show(line)}`);
    }
  }

  private contentLength(header: string): number | undefined {
    let length: number | undefined;
    for (const line of header.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) return this.fail(`a header line that is not "Name: value": ${show(line)}`);
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name !== 'content-length') continue;
      if (!/^\d{1,12}$/.test(value)) return this.fail(`Content-Length ${show(value)}`);
      length = Number(value);
    }
    if (length === undefined) return this.fail('a header without Content-Length');
    if (length > MAX_MESSAGE_BYTES) return this.fail(`a message of ${length} bytes`);
    return length;
  }

  private fail(problem: string): undefined {
    this.broken = problem;
    return undefined;
  }
}

/** A piece of the peer's bytes, quoted for a log line. */
function show(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}
