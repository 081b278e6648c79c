// "Diagnose Go setup": gather -> engine -> present, with a progress notification; reveals the report.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { VIEW_ID } from '../present/tree';

export const diagnose = (ctx: Ctx) => async (): Promise<void> => {
  await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
  await ctx.runner.runNow('Diagnose Go setup', true);
};
