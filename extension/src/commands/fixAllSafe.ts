// "Fix all safe issues": every `safe` fix's edits as ONE WorkspaceEdit, then save and re-run.
// Never applies unsafe or display-only fixes; safe fixes that are shell commands are left to the
// user (listed in the message).
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { reportStale, saveAll, staleFiles, toWorkspaceEdit } from '../present/applyFix';
import { baseName, plural, planSafeFixes } from '../present/model';

export const fixAllSafe = (ctx: Ctx) => async (): Promise<void> => {
  if (!ctx.report) {
    const ok = await ctx.runner.runNow('Fix all safe issues', true);
    if (!ok) return;
  }
  const report = ctx.report;
  if (!report) return;
  const plan = planSafeFixes(report);
  const others = plan.notEdits.length
    ? ` ${plural(plan.notEdits.length, 'safe fix', 'safe fixes')} that ${plan.notEdits.length === 1 ? 'runs a command is' : 'run commands are'} left for you in the Go Setup Doctor view.`
    : '';
  const review = plan.excluded ? ` ${plural(plan.excluded, 'fix', 'fixes')} need review or manual steps.` : '';
  if (plan.apply.length === 0) {
    void vscode.window.showInformationMessage(`Go Setup Doctor: no safe fixes to apply.${others}${review}`);
    return;
  }
  const stale = await staleFiles(ctx, plan.edits.keys());
  if (stale.length) {
    reportStale(ctx, stale);
    return;
  }
  const edit = await toWorkspaceEdit(plan.edits);
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage('Go Setup Doctor could not apply the safe fixes (the files may have changed).');
    ctx.runner.schedule('fix all failed', 0);
    return;
  }
  await saveAll(plan.edits.keys());
  for (const p of plan.apply) ctx.log.info(`fix all: applied "${p.fix.title}" (${p.finding.code})`);
  const files = [...plan.edits.keys()].map(baseName).join(', ');
  const later = plan.conflicting.length
    ? ` ${plural(plan.conflicting.length, 'overlapping fix', 'overlapping fixes')} will be offered again after the re-run.`
    : '';
  void vscode.window.showInformationMessage(
    `Go Setup Doctor applied ${plural(plan.apply.length, 'safe fix', 'safe fixes')} in ${files}.${later}${others}${review}`,
  );
  ctx.runner.schedule('fix all safe issues', 300);
};
