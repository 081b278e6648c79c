// "Show Go setup report": reveal the tree view (status bar click). Runs a diagnosis when none exists.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { VIEW_ID } from '../present/tree';

export const showReport = (ctx: Ctx) => async (): Promise<void> => {
  await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
  if (!ctx.result && !ctx.running) await ctx.runner.runNow('show report', true);
};
