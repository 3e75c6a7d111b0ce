/**
 * Runs checkText in a worker thread, so that a hang or a runaway allocation in the core fails the
 * test (with the input that caused it) instead of stalling or crashing the test runner. The limits
 * are generous: they detect hangs and unbounded memory, they are not speed assertions.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CheckOptions } from './check-text';
import type { CheckReply, CheckRequest } from './check-worker';

export interface GuardLimits {
  /** Time one text may take before it counts as a hang. */
  timeoutMs?: number;
  /** Heap limit of the worker, in MB. */
  heapMb?: number;
}

interface Pending {
  resolve: (violations: string[][]) => void;
  count: number;
  timer: NodeJS.Timeout;
}

export class GuardedChecker {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly timeoutMs: number;
  private readonly heapMb: number;

  constructor(limits: GuardLimits = {}) {
    this.timeoutMs = limits.timeoutMs ?? 30_000;
    this.heapMb = limits.heapMb ?? 1024;
  }

  private spawn(): Worker {
    const worker = new Worker(join(__dirname, 'check-worker.js'), {
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb },
    });
    worker.on('message', (reply: CheckReply) => {
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      clearTimeout(pending.timer);
      this.pending.delete(reply.id);
      pending.resolve(reply.violations);
    });
    worker.on('error', (error) => this.failAll(worker, `the check worker died: ${error.message}`));
    worker.on('exit', (code) => this.failAll(worker, `the check worker exited with code ${code}`));
    worker.unref();
    return worker;
  }

  private failAll(worker: Worker, message: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      this.pending.delete(id);
      pending.resolve(Array.from({ length: pending.count }, () => [message]));
    }
  }

  /** The invariants `text` violates; a hang or a crash of the worker is a violation too. */
  async check(text: string, options: CheckOptions = {}): Promise<string[]> {
    return (await this.checkMany([text], options))[0];
  }

  /** The violations of each text, checked in one message (the time limit is for them all). */
  checkMany(texts: string[], options: CheckOptions = {}): Promise<string[][]> {
    this.worker ??= this.spawn();
    const worker = this.worker;
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.worker = undefined;
        void worker.terminate();
        resolve(
          texts.map(() => [
            `no answer within ${this.timeoutMs} ms: the core hangs or is far too slow`,
          ]),
        );
        // Other texts queued on the same worker are lost with it.
        for (const [otherId, other] of this.pending) {
          clearTimeout(other.timer);
          this.pending.delete(otherId);
          other.resolve(
            Array.from({ length: other.count }, () => [
              'not checked: the worker was stopped after a hang',
            ]),
          );
        }
      }, this.timeoutMs);
      this.pending.set(id, { resolve, timer, count: texts.length });
      const request: CheckRequest = { id, texts, options };
      worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }
}

/** Shows an input in a failure message: escaped, and cut when long. */
export function showInput(text: string, max = 2000): string {
  const shown = JSON.stringify(text.length > max ? text.slice(0, max) : text);
  return text.length > max ? `${shown}… (${text.length} characters)` : shown;
}
