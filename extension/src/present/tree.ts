// The "Go Setup Doctor" view: categories with counts and severity icons; findings under them
// (code + title, the whole finding in the tooltip) expanding into "Details…" (the full message in a
// read-only Markdown document: a sidebar row holds ~35 characters), evidence, location, related
// places and fixes; passing checks kept quiet under "N checks passed"; skipped checks with their
// reason. A category's id names its findings (model.categoryId), so new findings show expanded.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { Action } from '../engine/generated/Action';
import type { Location } from '../engine/generated/Location';
import type { Severity } from '../engine/generated/Severity';
import type { FixRef } from './applyFix';
import { vsRange } from './applyFix';
import { detailsUri } from './details';
import { editorUri } from './editorUri';
import {
  copyText,
  type CategoryView,
  type CheckView,
  type FindingView,
  type FixView,
  plural,
  terminalText,
} from './model';

export const VIEW_ID = 'goSetupDoctor.findings';

export type Node =
  | { kind: 'category'; id: string; view: CategoryView }
  | { kind: 'finding'; id: string; view: FindingView }
  | { kind: 'details'; id: string; view: FindingView }
  | { kind: 'evidence'; id: string; text: string }
  | { kind: 'location'; id: string; label: string; description: string; location: Location; related: boolean }
  | { kind: 'fix'; id: string; view: FixView }
  | { kind: 'fixLine'; id: string; fix: FixView; action: Action; text: string }
  | { kind: 'passedGroup'; id: string; category: CategoryView }
  | { kind: 'check'; id: string; view: CheckView }
  | { kind: 'failure'; id: string; message: string };

/** The text a node's "Copy" action copies. */
export function nodeCopyText(n: Node): string | undefined {
  switch (n.kind) {
    case 'fixLine':
      return copyText(n.action);
    case 'fix':
      return n.view.fix.actions.map(copyText).join('\n');
    case 'details':
      return n.view.finding.message;
    case 'evidence':
      return n.text;
    case 'finding':
      return `${n.view.label}\n${n.view.finding.message}\n${n.view.evidence.join('\n')}`;
    case 'check':
      return `${n.view.label}: ${n.view.description}`;
    case 'location':
      return n.description;
    default:
      return undefined;
  }
}

function severityIcon(s: Severity | 'passed' | 'skipped'): vscode.ThemeIcon {
  switch (s) {
    case 'error':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
    case 'warning':
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    case 'info':
      return new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground'));
    case 'passed':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'skipped':
      return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
  }
}

function markdownTooltip(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(text);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

export class FindingsTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  readonly view: vscode.TreeView<Node>;

  constructor(private readonly ctx: Ctx) {
    this.view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    ctx.onDidChange(() => this.refresh());
    this.refresh();
  }

  refresh(): void {
    const { running, result, failure } = this.ctx;
    const model = result?.model;
    if (running) this.view.message = model ? `Diagnosing… (showing the previous result: ${model.headline})` : 'Diagnosing Go setup…';
    else if (failure) this.view.message = `The last diagnosis failed: ${failure.message}`;
    else this.view.message = model ? model.headline : undefined;
    const problems = model ? model.counts.errors + model.counts.warnings : 0;
    this.view.badge = problems
      ? { value: problems, tooltip: `Go setup: ${plural(model!.counts.errors, 'error')}, ${plural(model!.counts.warnings, 'warning')}` }
      : undefined;
    void vscode.commands.executeCommand('setContext', 'goSetupDoctor.hasReport', !!model);
    void vscode.commands.executeCommand('setContext', 'goSetupDoctor.hasSafeFixes', !!model?.hasSafeFixes);
    this.emitter.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.roots();
    switch (node.kind) {
      case 'category':
        return this.categoryChildren(node.view);
      case 'finding':
        return this.findingChildren(node.view);
      case 'fix':
        return this.fixChildren(node.view);
      case 'passedGroup':
        return node.category.passed.map((v) => ({ kind: 'check' as const, id: `${node.id}/${v.id}`, view: v }));
      default:
        return [];
    }
  }

  private roots(): Node[] {
    const out: Node[] = [];
    if (this.ctx.failure && !this.ctx.running) {
      out.push({ kind: 'failure', id: 'failure', message: this.ctx.failure.message });
    }
    const model = this.ctx.result?.model;
    if (model) out.push(...model.categories.map((v) => ({ kind: 'category' as const, id: v.id, view: v })));
    return out;
  }

  private categoryChildren(c: CategoryView): Node[] {
    const out: Node[] = c.findings.map((v) => ({ kind: 'finding' as const, id: v.id, view: v }));
    out.push(...c.skipped.map((v) => ({ kind: 'check' as const, id: v.id, view: v })));
    if (c.passed.length) {
      if (c.findings.length || c.skipped.length) out.push({ kind: 'passedGroup', id: `${c.id}/passed`, category: c });
      else out.push(...c.passed.map((v) => ({ kind: 'check' as const, id: v.id, view: v })));
    }
    return out;
  }

  private findingChildren(f: FindingView): Node[] {
    const out: Node[] = [{ kind: 'details', id: `${f.id}/details`, view: f }];
    f.evidence.forEach((e, j) => out.push({ kind: 'evidence', id: `${f.id}/ev${j}`, text: e }));
    if (f.location) {
      out.push({
        kind: 'location',
        id: `${f.id}/loc`,
        label: f.location.label,
        description: f.location.path,
        location: f.location.location,
        related: false,
      });
    }
    f.related.forEach((r, j) =>
      out.push({
        kind: 'location',
        id: `${f.id}/rel${j}`,
        label: r.message,
        description: r.label,
        location: r.location,
        related: true,
      }),
    );
    out.push(...f.fixes.map((v) => ({ kind: 'fix' as const, id: v.id, view: v })));
    return out;
  }

  private fixChildren(v: FixView): Node[] {
    // Display-only fixes list what to do, one copyable line per action.
    if (v.mode !== 'display') return [];
    return v.fix.actions
      .filter((a) => a.kind !== 'editFile')
      .map((a, j) => ({
        kind: 'fixLine' as const,
        id: `${v.id}/line${j}`,
        fix: v,
        action: a,
        text: a.kind === 'openUrl' ? a.url : a.kind === 'runVsCodeCommand' ? copyText(a) : terminalText(a) ?? copyText(a),
      }));
  }

  getTreeItem(n: Node): vscode.TreeItem {
    const None = vscode.TreeItemCollapsibleState.None;
    const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    const Expanded = vscode.TreeItemCollapsibleState.Expanded;
    switch (n.kind) {
      case 'failure': {
        const item = new vscode.TreeItem('Diagnosis failed', None);
        item.id = n.id;
        item.description = n.message;
        item.tooltip = `${n.message}\n\nClick to show the log. "Copy Go setup report" includes what was gathered.`;
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
        item.command = { command: 'goSetupDoctor.showLog', title: 'Show Log' };
        item.contextValue = 'failure';
        return item;
      }
      case 'category': {
        const c = n.view;
        const hasFindings = c.findings.length > 0;
        const item = new vscode.TreeItem(c.title, hasFindings ? Expanded : Collapsed);
        item.id = n.id;
        item.description = c.description;
        item.iconPath = severityIcon(c.worst);
        item.contextValue = 'category';
        item.tooltip = `${c.title}: ${c.description}`;
        return item;
      }
      case 'finding': {
        const f = n.view;
        const item = new vscode.TreeItem(f.label, Collapsed);
        item.id = n.id;
        item.iconPath = severityIcon(f.finding.severity);
        item.description = f.finding.severity === 'info' ? 'info' : undefined;
        item.tooltip = markdownTooltip(f.tooltip);
        item.contextValue = f.fixable ? 'fixable' : 'finding';
        return item;
      }
      case 'details': {
        const f = n.view;
        const item = new vscode.TreeItem('Details…', None);
        item.id = n.id;
        item.iconPath = new vscode.ThemeIcon('note');
        item.tooltip = markdownTooltip(`${f.tooltip}\n\n_Click to open the full text._`);
        // Screen readers hear the message itself.
        item.accessibilityInformation = { label: `Details: ${f.finding.message}` };
        item.contextValue = 'evidence';
        item.command = {
          command: 'vscode.open',
          title: 'Show details',
          arguments: [detailsUri(f), { preview: true } satisfies vscode.TextDocumentShowOptions],
        };
        return item;
      }
      case 'evidence': {
        // Dim: the text is the description of an item without a label.
        const item = new vscode.TreeItem('', None);
        item.id = n.id;
        item.description = n.text;
        item.tooltip = n.text;
        item.iconPath = new vscode.ThemeIcon('circle-small', new vscode.ThemeColor('descriptionForeground'));
        item.contextValue = 'evidence';
        return item;
      }
      case 'location': {
        const item = new vscode.TreeItem(n.label, None);
        item.id = n.id;
        item.description = n.description;
        item.iconPath = new vscode.ThemeIcon(n.related ? 'link' : 'go-to-file');
        item.tooltip = `Open ${n.description}`;
        item.contextValue = 'location';
        item.command = {
          command: 'vscode.open',
          title: 'Open',
          arguments: [
            editorUri(n.location.uri),
            { selection: vsRange(n.location.range), preview: true } satisfies vscode.TextDocumentShowOptions,
          ],
        };
        return item;
      }
      case 'fix': {
        const v = n.view;
        const display = v.mode === 'display';
        const item = new vscode.TreeItem(v.label, display && v.fix.actions.length ? Expanded : None);
        item.id = n.id;
        item.description = display ? 'do this yourself' : v.mode === 'safe' ? 'safe fix' : 'review';
        item.tooltip = `${v.label}\n\n${v.actions.join('\n')}\n\n${
          display
            ? 'Shown only: Go Setup Doctor does not apply this.'
            : v.mode === 'review'
              ? 'Needs review: you confirm after seeing what changes.'
              : 'Safe: keeps the meaning of your setup.'
        }`;
        item.iconPath = new vscode.ThemeIcon(display ? 'book' : v.mode === 'safe' ? 'lightbulb-autofix' : 'lightbulb');
        item.contextValue = display ? 'displayOnly' : 'fix';
        if (!display) {
          const ref: FixRef = { finding: v.finding, fixIndex: v.fixIndex };
          item.command = { command: 'goSetupDoctor.applyFix', title: 'Apply Fix', arguments: [ref] };
        }
        return item;
      }
      case 'fixLine': {
        const item = new vscode.TreeItem(n.text, None);
        item.id = n.id;
        item.tooltip = `${n.text}\n\nRight-click or use the copy button to copy.`;
        item.contextValue = 'copyable';
        if (n.action.kind === 'openUrl') {
          item.iconPath = new vscode.ThemeIcon('link-external');
          item.command = { command: 'vscode.open', title: 'Open Link', arguments: [vscode.Uri.parse(n.action.url)] };
        } else {
          item.iconPath = new vscode.ThemeIcon(n.action.kind === 'runVsCodeCommand' ? 'symbol-event' : 'terminal');
        }
        return item;
      }
      case 'passedGroup': {
        const c = n.category;
        const item = new vscode.TreeItem(`${plural(c.passed.length, 'check')} passed`, Collapsed);
        item.id = n.id;
        item.iconPath = severityIcon('passed');
        item.contextValue = 'passed';
        return item;
      }
      case 'check': {
        const v = n.view;
        const skipped = v.check.status === 'skipped';
        const item = new vscode.TreeItem(v.label, None);
        item.id = n.id;
        item.description = v.description;
        item.tooltip = v.tooltip;
        item.iconPath = skipped ? severityIcon('skipped') : new vscode.ThemeIcon('check', new vscode.ThemeColor('testing.iconPassed'));
        item.contextValue = 'check';
        return item;
      }
    }
  }

  dispose(): void {
    this.view.dispose();
    this.emitter.dispose();
  }
}
