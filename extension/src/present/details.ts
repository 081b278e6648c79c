// "Details…" of a finding: its title, severity, message, evidence, location and fixes as a
// read-only Markdown document (VS Code word-wraps Markdown), from the latest diagnosis. The tree
// can't show a long message (a sidebar row holds ~35 characters); this document can.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { findingMarkdown } from './markdown';
import type { FindingView } from './model';

export const DETAILS_SCHEME = 'go-setup-doctor';

/** `go-setup-doctor:/GSD306 invalid-gopls-flag.md?id=finding:GSD306:0` (the tab shows the name). */
export function detailsUri(f: FindingView): vscode.Uri {
  const n = Number(/:(\d+)$/.exec(f.id)?.[1] ?? 0);
  const name = `${f.finding.code} ${f.finding.name}${n > 0 ? ` (${n + 1})` : ''}`.replace(/[\\/?#%]/g, '-');
  return vscode.Uri.from({ scheme: DETAILS_SCHEME, path: `/${name}.md`, query: new URLSearchParams({ id: f.id }).toString() });
}

export class FindingDetails implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  /** The last text shown per finding id: kept when a later run no longer reports the finding. */
  private readonly last = new Map<string, string>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: Ctx) {
    this.disposables.push(
      this.emitter,
      vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, this),
      // Open details documents follow the diagnosis.
      ctx.onDidChange(() => {
        if (ctx.running) return;
        for (const d of vscode.workspace.textDocuments) if (d.uri.scheme === DETAILS_SCHEME) this.emitter.fire(d.uri);
      }),
    );
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const id = new URLSearchParams(uri.query).get('id') ?? '';
    const f = this.ctx.result?.model.findings.find((x) => x.id === id);
    if (f) {
      const text = findingMarkdown(f.finding);
      this.last.set(id, text);
      return text;
    }
    const gone = '> **The latest diagnosis no longer reports this.** (It may have been fixed; run "Diagnose Go setup" to check again.)\n';
    const before = this.last.get(id);
    return before ? `${gone}\n${before}` : gone;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
