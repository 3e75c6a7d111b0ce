/**
 * workspace/executeCommand: the server side of "Convert Dockerfile to Multi-Stage".
 *
 * - `go-multistage.listConvertRuntimes` `{uri, version?}` → `{runtimes: RuntimeChoice[]}`: the
 *   runtimes the conversion accepts for the document, the configured one first.
 * - `go-multistage.convert` `{uri, version?, runtimeImage?, layout?, apply?}` → the conversion as
 *   an edit carrying the document version; applied through workspace/applyEdit unless
 *   `apply: false` or the client cannot apply edits. Runtime and layout default to the settings.
 *
 * - `go-multistage.showBuild` `{uri, line}` → `{shown}`: opens a build file at the line that
 *   declares a build (the CodeLens of a stage built by compose, Bake, a Makefile, ...), through
 *   window/showDocument.
 *
 * A version that is no longer the document's, or a file the conversion does not apply to, is an
 * error with the reason.
 */
import {
  ErrorCodes,
  LSPErrorCodes,
  ResponseError,
  type ExecuteCommandParams,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CONVERT_LAYOUTS, type ConvertLayout } from '../core/convert';
import { conversionOf } from '../core/convert/memo';
import { runtimeChoices, type RuntimeChoice } from '../core/convert/runtime-choices';
import type { Analysis } from './analysis';
import { conversionAnnotation, workspaceEdit, type EditSupport } from './code-actions';
import type { Settings } from './settings';

export const CONVERT_COMMAND = 'go-multistage.convert';
export const LIST_RUNTIMES_COMMAND = 'go-multistage.listConvertRuntimes';
/** The VS Code extension's own command (Quick Pick of runtimes, then CONVERT_COMMAND). */
export const CLIENT_CONVERT_COMMAND = 'go-multistage.convertToMultiStage';
export const SHOW_BUILD_COMMAND = 'go-multistage.showBuild';
export const SERVER_COMMANDS = [CONVERT_COMMAND, LIST_RUNTIMES_COMMAND, SHOW_BUILD_COMMAND];

export interface ShowBuildArgs {
  uri: string;
  /** Zero-based line of the declaration. */
  line: number;
}

export interface ConvertArgs {
  uri: string;
  version?: number;
  runtimeImage?: string;
  layout?: ConvertLayout;
  /** Apply the edit through workspace/applyEdit (default true). */
  apply?: boolean;
}

export interface ConvertCommandResult {
  /** Whether the client applied the edit. */
  applied: boolean;
  failureReason?: string;
  edit: WorkspaceEdit;
  runtimeImage: string;
  notes: string[];
}

export interface ListRuntimesResult {
  runtimes: RuntimeChoice[];
}

export interface CommandContext {
  current(
    uri: string,
  ): Promise<{ document: TextDocument; analysis: Analysis; settings: Settings } | undefined>;
  /** Applies an edit in the client; undefined when the client cannot. */
  applyEdit?: (
    label: string,
    edit: WorkspaceEdit,
  ) => Promise<{ applied: boolean; failureReason?: string }>;
  support: EditSupport;
  /** Shows a file at a line in the client; undefined when the client cannot. */
  showDocument?: (uri: string, line: number) => Promise<boolean>;
}

function argsOf(params: ExecuteCommandParams): ConvertArgs {
  const args = params.arguments?.[0] as Partial<ConvertArgs> | undefined;
  if (!args || typeof args.uri !== 'string') {
    throw new ResponseError(ErrorCodes.InvalidParams, `${params.command} needs {uri}.`);
  }
  if (args.layout !== undefined && !CONVERT_LAYOUTS.includes(args.layout)) {
    throw new ResponseError(
      ErrorCodes.InvalidParams,
      `Unknown layout "${String(args.layout)}" (${CONVERT_LAYOUTS.join(', ')}).`,
    );
  }
  return args as ConvertArgs;
}

async function target(args: ConvertArgs, context: CommandContext) {
  const current = await context.current(args.uri);
  if (!current) throw new ResponseError(LSPErrorCodes.RequestFailed, `${args.uri} is not open.`);
  if (args.version !== undefined && args.version !== current.document.version) {
    throw new ResponseError(
      LSPErrorCodes.ContentModified,
      'The Dockerfile changed since the conversion was asked for; try again.',
    );
  }
  return current;
}

export async function executeCommand(
  params: ExecuteCommandParams,
  context: CommandContext,
): Promise<ConvertCommandResult | ListRuntimesResult | { shown: boolean }> {
  if (params.command === SHOW_BUILD_COMMAND) {
    const args = params.arguments?.[0] as Partial<ShowBuildArgs> | undefined;
    if (typeof args?.uri !== 'string' || typeof args.line !== 'number') {
      throw new ResponseError(ErrorCodes.InvalidParams, `${params.command} needs {uri, line}.`);
    }
    if (!context.showDocument) {
      throw new ResponseError(LSPErrorCodes.RequestFailed, 'The editor cannot show documents.');
    }
    return { shown: await context.showDocument(args.uri, Math.max(0, Math.floor(args.line))) };
  }
  if (params.command !== CONVERT_COMMAND && params.command !== LIST_RUNTIMES_COMMAND) {
    throw new ResponseError(ErrorCodes.MethodNotFound, `Unknown command ${params.command}.`);
  }
  const args = argsOf(params);
  const { document, analysis, settings } = await target(args, context);
  // The settings as merged with the project's configuration file.
  const layout = args.layout ?? analysis.options.convertLayout ?? settings.convertLayout;
  const runtimeImage = analysis.options.runtimeImage ?? settings.runtimeImage;
  if (params.command === LIST_RUNTIMES_COMMAND) {
    const runtimes = runtimeChoices(analysis.model, runtimeImage, layout);
    if (runtimes.length === 0) {
      const refused = conversionOf(analysis.model, { layout });
      const reason = refused.ok ? 'no runtime fits this build.' : refused.reason;
      throw new ResponseError(
        LSPErrorCodes.RequestFailed,
        `Cannot convert to multi-stage: ${reason}`,
      );
    }
    return { runtimes };
  }
  const conversion = conversionOf(analysis.model, {
    runtimeImage: args.runtimeImage ?? runtimeImage,
    layout,
  });
  if (!conversion.ok) {
    throw new ResponseError(
      LSPErrorCodes.RequestFailed,
      `Cannot convert to multi-stage: ${conversion.reason}`,
    );
  }
  const edit = workspaceEdit(
    document,
    conversion.edits,
    context.support,
    conversionAnnotation(conversion.notes),
  );
  const result: ConvertCommandResult = {
    applied: false,
    edit,
    runtimeImage: conversion.runtimeImage,
    notes: conversion.notes,
  };
  if (args.apply !== false && context.applyEdit) {
    const response = await context.applyEdit('Convert to multi-stage', edit);
    result.applied = response.applied;
    if (response.failureReason !== undefined) result.failureReason = response.failureReason;
  }
  return result;
}
