// "Copy Go setup report": redacted Markdown on the clipboard and in an untitled Markdown editor.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { buildMarkdownReport } from '../present/markdown';

export const copyReport = (ctx: Ctx) => async (): Promise<void> => {
  if (!ctx.result && !ctx.failure) {
    await ctx.runner.runNow('Copy Go setup report', true);
  }
  const snapshot = ctx.snapshot;
  if (!ctx.report && !snapshot && !ctx.failure) return;
  const md = buildMarkdownReport({
    report: ctx.report,
    snapshot,
    failure: ctx.failure?.message,
    extensionVersion: ctx.extensionVersion,
    engineVersion: safe(() => ctx.engine.version()),
    rules: safe(() => ctx.engine.rules()),
  });
  await vscode.env.clipboard.writeText(md);
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: md });
  await vscode.window.showTextDocument(doc, { preview: false });
  void vscode.window.showInformationMessage(
    'Go Setup Doctor: the report is on the clipboard (credentials, home directory and user name redacted). Check it before you share it.',
  );
};

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
