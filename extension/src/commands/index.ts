// Registers every command (one file each, `(ctx) => handler`), the diagnosis runner and the
// auto-run triggers.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { applyFix } from './applyFix';
import { copyReport } from './copyReport';
import { copyText } from './copyText';
import { diagnose } from './diagnose';
import { fixAllSafe } from './fixAllSafe';
import { openDoc } from './openDoc';
import { refresh } from './refresh';
import { DiagnosisRunner } from './runner';
import { showLog } from './showLog';
import { showReport } from './showReport';

type Factory = (ctx: Ctx) => (...args: any[]) => unknown;

/** Command id -> factory. Ids match package.json `contributes.commands`. */
export const COMMANDS: Record<string, Factory> = {
  'goSetupDoctor.diagnose': diagnose,
  'goSetupDoctor.fixAllSafe': fixAllSafe,
  'goSetupDoctor.copyReport': copyReport,
  'goSetupDoctor.applyFix': applyFix,
  'goSetupDoctor.refresh': refresh,
  'goSetupDoctor.showReport': showReport,
  'goSetupDoctor.showLog': showLog,
  'goSetupDoctor.copyText': copyText,
  'goSetupDoctor.openDoc': openDoc,
};

export function registerCommands(ctx: Ctx): void {
  ctx.runner = ctx.subscribe(new DiagnosisRunner(ctx));
  for (const [id, factory] of Object.entries(COMMANDS)) {
    ctx.subscribe(vscode.commands.registerCommand(id, factory(ctx)));
  }
}
