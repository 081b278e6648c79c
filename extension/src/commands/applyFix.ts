// Internal "Apply fix": from tree items (a FixRef, or a finding node via the inline button) and
// from code actions. A finding with several applicable fixes asks which one.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { applyFix as apply, isFixRef, type FixRef } from '../present/applyFix';
import type { Node } from '../present/tree';

function refOf(arg: unknown): FixRef | 'pick' | undefined {
  if (isFixRef(arg)) return arg;
  const n = arg as Node | undefined;
  if (n && typeof n === 'object' && 'kind' in n) {
    if (n.kind === 'fix') return { finding: n.view.finding, fixIndex: n.view.fixIndex };
    if (n.kind === 'finding') return 'pick';
  }
  return undefined;
}

export const applyFix = (ctx: Ctx) => async (arg?: unknown): Promise<void> => {
  let ref = refOf(arg);
  if (ref === 'pick') {
    const f = (arg as Extract<Node, { kind: 'finding' }>).view;
    const options = f.fixes.filter((x) => x.mode !== 'display' && x.fix.actions.length > 0);
    if (options.length === 0) return;
    if (options.length === 1) {
      ref = { finding: f.finding, fixIndex: options[0].fixIndex };
    } else {
      const pick = await vscode.window.showQuickPick(
        options.map((o) => ({ label: o.label, description: o.mode === 'safe' ? 'safe' : 'review', detail: o.actions.join('; '), o })),
        { title: `${f.finding.code} ${f.finding.title}`, placeHolder: 'Choose a fix' },
      );
      if (!pick) return;
      ref = { finding: f.finding, fixIndex: pick.o.fixIndex };
    }
  }
  if (!ref) {
    void vscode.window.showInformationMessage('Go Setup Doctor: pick a fix in the Go Setup Doctor view or from a quick fix.');
    return;
  }
  try {
    await apply(ctx, ref);
  } catch (e) {
    ctx.log.error(`applying a fix failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    void vscode.window.showErrorMessage(`Go Setup Doctor could not apply the fix: ${e instanceof Error ? e.message : String(e)}`);
  }
};
