/**
 * The VS Code side of go-multistage: starts the language server for Dockerfiles, restarts it on
 * request, stops it on deactivation. All analysis happens in the server.
 */
import * as path from 'node:path';
import { commands, type ExtensionContext } from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('server', 'dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: {
      module,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6019'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'dockerfile' }],
    // The extension contributes the snippets; the server adds its go.mod-pinned templates.
    initializationOptions: { snippetsContributed: true },
  };
  client = new LanguageClient(
    'goMultistage',
    'Go Multi-Stage Dockerfiles',
    serverOptions,
    clientOptions,
  );
  context.subscriptions.push(
    commands.registerCommand('go-multistage.restartServer', async () => {
      await client?.restart();
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
