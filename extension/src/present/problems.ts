// Problems panel: findings that have a location become diagnostics on that file (settings.json,
// .code-workspace, go.mod, go.work, ...). The code links to the rule's documentation.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { Finding } from '../engine/generated/Finding';
import type { Severity } from '../engine/generated/Severity';
import { vsRange } from './applyFix';
import { editorUri } from './editorUri';
import { docPathFor, docUrl, sameUri } from './model';

/** `diagnostic.source`; code actions filter on it. */
export const DIAGNOSTIC_SOURCE = 'Go setup';
export const COLLECTION_NAME = 'Go Setup Doctor';

export function vsSeverity(s: Severity): vscode.DiagnosticSeverity {
  switch (s) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    default:
      return vscode.DiagnosticSeverity.Information;
  }
}

export function toDiagnostic(f: Finding): vscode.Diagnostic | undefined {
  if (!f.location) return undefined;
  const d = new vscode.Diagnostic(vsRange(f.location.range), `${f.title}\n${f.message}`, vsSeverity(f.severity));
  d.source = DIAGNOSTIC_SOURCE;
  d.code = { value: f.code, target: vscode.Uri.parse(docUrl(f.doc || docPathFor(f.code, f.name))) };
  if (f.related.length) {
    d.relatedInformation = f.related.map(
      (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(editorUri(r.location.uri), vsRange(r.location.range)), r.message),
    );
  }
  return d;
}

/** Everything of a file's diagnostics that the Problems panel and the editor show. */
export function diagnosticsSignature(ds: readonly vscode.Diagnostic[]): string {
  const range = (r: vscode.Range) => [r.start.line, r.start.character, r.end.line, r.end.character];
  return JSON.stringify(
    ds.map((d) => [
      range(d.range),
      d.message,
      d.severity,
      d.source,
      typeof d.code === 'object' ? [String(d.code.value), d.code.target.toString()] : d.code,
      (d.relatedInformation ?? []).map((r) => [r.location.uri.toString(), range(r.location.range), r.message]),
    ]),
  );
}

export class Problems implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(COLLECTION_NAME);
  /** What the collection holds now, per URI. */
  private shown = new Map<string, { uri: vscode.Uri; signature: string }>();

  constructor(private readonly ctx: Ctx) {
    ctx.onDidChange(() => this.render());
    // The user settings.json opened as vscode-userdata: move its diagnostics there, and back.
    const moved = (d: vscode.TextDocument) => {
      if (d.uri.scheme === 'file') return;
      const here = d.uri.toString();
      if (this.ctx.report?.findings.some((f) => f.location && sameUri(f.location.uri, here))) this.render();
    };
    ctx.subscribe(vscode.workspace.onDidOpenTextDocument(moved));
    ctx.subscribe(vscode.workspace.onDidCloseTextDocument(moved));
    this.render();
  }

  render(): void {
    const report = this.ctx.report;
    // Keep the previous diagnostics while a run is in flight, and after a failed run.
    if (!report || this.ctx.running) return;
    const byUri = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();
    for (const f of report.findings) {
      const d = toDiagnostic(f);
      if (!d || !f.location) continue;
      const uri = editorUri(f.location.uri);
      const key = uri.toString();
      const entry = byUri.get(key) ?? { uri, diagnostics: [] };
      entry.diagnostics.push(d);
      byUri.set(key, entry);
    }
    // Touch only the files whose diagnostics changed: a re-run with the same result (every
    // auto-run after a save) leaves the markers alone, so squiggles do not flicker and a Ctrl+.
    // in flight is not cancelled by a marker change.
    const next = new Map<string, { uri: vscode.Uri; signature: string }>();
    for (const [key, e] of byUri) {
      const signature = diagnosticsSignature(e.diagnostics);
      next.set(key, { uri: e.uri, signature });
      if (this.shown.get(key)?.signature !== signature) this.collection.set(e.uri, e.diagnostics);
    }
    for (const [key, e] of this.shown) if (!next.has(key)) this.collection.delete(e.uri);
    this.shown = next;
  }

  dispose(): void {
    this.collection.dispose();
  }
}
