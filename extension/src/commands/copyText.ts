// Internal "Copy": the command/line of a fix, an evidence line, ... (tree context menu, code action).
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { nodeCopyText, type Node } from '../present/tree';

export const copyText = (_ctx: Ctx) => async (arg?: unknown): Promise<void> => {
  const text = typeof arg === 'string' ? arg : arg && typeof arg === 'object' && 'kind' in arg ? nodeCopyText(arg as Node) : undefined;
  if (!text) return;
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage('$(copy) Copied', 2000);
};
