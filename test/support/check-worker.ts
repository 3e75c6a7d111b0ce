/** Worker thread that runs checkText on the texts it is sent (see guarded-check.ts). */
import { parentPort } from 'node:worker_threads';
import { checkText, type CheckOptions } from './check-text';

export interface CheckRequest {
  id: number;
  texts: string[];
  options: CheckOptions;
}

export interface CheckReply {
  id: number;
  /** The violations of each text, in order. */
  violations: string[][];
}

parentPort?.on('message', (request: CheckRequest) => {
  const reply: CheckReply = {
    id: request.id,
    violations: request.texts.map((text) => checkText(text, request.options)),
  };
  parentPort?.postMessage(reply);
});
