// Internal "Open rule documentation" for a finding or check in the tree.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { Node } from '../present/tree';

export const openDoc = (_ctx: Ctx) => async (arg?: unknown): Promise<void> => {
  const n = arg as Node | undefined;
  const url = n?.kind === 'finding' ? n.view.docUrl : n?.kind === 'check' ? n.view.docUrl : typeof arg === 'string' ? arg : undefined;
  if (url) await vscode.env.openExternal(vscode.Uri.parse(url));
};
