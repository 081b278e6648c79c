// Quick fixes on our diagnostics: one per Fix. Edit fixes carry their WorkspaceEdit (isPreferred
// only when safe; unsafe ones end " (review)" and open the refactor preview before applying).
// Shell fixes type the command in a terminal without running it, or copy it. Display-only fixes
// get no code action (they are shown in the tree).
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { Finding } from '../engine/generated/Finding';
import { editsByUri, toWorkspaceEditSync, type FixRef } from './applyFix';
import { copyText, findFindingAt, fixLabel, sameUri, snapshotTextOf } from './model';
import { DIAGNOSTIC_SOURCE } from './problems';

export const CODE_ACTION_SELECTOR: vscode.DocumentSelector = [
  { language: 'json' },
  { language: 'jsonc' },
  { language: 'go.mod' },
  { language: 'go.work' },
];

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

export class FixProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly ctx: Ctx) {}

  provideCodeActions(
    doc: vscode.TextDocument,
    _range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    if (context.only && !context.only.contains(vscode.CodeActionKind.QuickFix)) return [];
    const out: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.source !== DIAGNOSTIC_SOURCE) continue;
      const code = codeOf(d);
      if (!code || !/^GSD\d{3}$/.test(code)) continue;
      const finding = findFindingAt(this.ctx.report, code, doc.uri.toString(), d.range.start);
      if (finding) out.push(...this.actionsFor(doc, finding, d));
    }
    return out;
  }

  /** The edits touch only this document, and it still holds the text the engine saw. */
  private editableHere(doc: vscode.TextDocument, uris: Iterable<string>): boolean {
    const here = doc.uri.toString();
    if ([...uris].some((u) => !sameUri(u, here))) return false;
    if (doc.isDirty) return false;
    const before = snapshotTextOf(this.ctx.snapshot, here);
    return before === undefined || before === doc.getText();
  }

  private actionsFor(doc: vscode.TextDocument, finding: Finding, d: vscode.Diagnostic): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    finding.fixes.forEach((fix, fixIndex) => {
      if (fix.applicability === 'displayOnly' || fix.actions.length === 0) return;
      const safe = fix.applicability === 'safe';
      const label = fixLabel(fix);
      const edits = editsByUri(fix.actions);
      const shell = fix.actions.filter((a) => a.kind === 'runShell' || a.kind === 'appendToProfile');

      if (edits.size) {
        const a = new vscode.CodeAction(label, vscode.CodeActionKind.QuickFix);
        a.diagnostics = [d];
        a.isPreferred = safe;
        if (safe && this.editableHere(doc, edits.keys())) {
          a.edit = toWorkspaceEditSync(edits);
          const ref: FixRef = { finding, fixIndex, mode: 'afterEdit' };
          a.command = { command: 'goSetupDoctor.applyFix', title: label, arguments: [ref] };
        } else {
          // Unsafe: applyFix confirms first, showing old -> new, with a preview option. Safe fixes
          // on other files or on a changed document go through applyFix too (it checks freshness).
          const ref: FixRef = { finding, fixIndex };
          a.command = { command: 'goSetupDoctor.applyFix', title: label, arguments: [ref] };
        }
        out.push(a);
        return;
      }

      if (shell.length) {
        const typeIt = new vscode.CodeAction(`${label}: type the command in a terminal`, vscode.CodeActionKind.QuickFix);
        typeIt.diagnostics = [d];
        typeIt.command = { command: 'goSetupDoctor.applyFix', title: label, arguments: [{ finding, fixIndex } satisfies FixRef] };
        const copy = new vscode.CodeAction(`${label}: copy the command`, vscode.CodeActionKind.QuickFix);
        copy.diagnostics = [d];
        copy.command = {
          command: 'goSetupDoctor.copyText',
          title: 'Copy',
          arguments: [fix.actions.map(copyText).join('\n')],
        };
        out.push(typeIt, copy);
        return;
      }

      // VS Code commands and links.
      const a = new vscode.CodeAction(label, vscode.CodeActionKind.QuickFix);
      a.diagnostics = [d];
      a.command = { command: 'goSetupDoctor.applyFix', title: label, arguments: [{ finding, fixIndex } satisfies FixRef] };
      out.push(a);
    });
    return out;
  }
}

export function registerCodeActions(ctx: Ctx): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(CODE_ACTION_SELECTOR, new FixProvider(ctx), {
    providedCodeActionKinds: FixProvider.kinds,
  });
}
