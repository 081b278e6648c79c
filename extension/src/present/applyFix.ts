// Applies a Fix: editFile actions -> one WorkspaceEdit (saved afterwards), runShell/appendToProfile
// -> typed into a terminal but NOT executed, runVsCodeCommand -> executeCommand, openUrl ->
// openExternal. Unsafe fixes are confirmed first, showing old -> new. After applying, the
// diagnosis re-runs. Settings are written only here (and by "Fix all safe issues" through here).
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { Action } from '../engine/generated/Action';
import type { Finding } from '../engine/generated/Finding';
import type { Fix } from '../engine/generated/Fix';
import type { Range } from '../engine/generated/Range';
import type { TextEdit } from '../engine/generated/TextEdit';
import { baseName, describeAction, editPreview, sameUri, snapshotTextOf, terminalText, uriToPath } from './model';
import { editorUri } from './editorUri';

/** A fix as passed between tree items, code actions and the applyFix command. */
export interface FixRef {
  finding: Finding;
  fixIndex: number;
  /** `afterEdit`: a code action already applied the edits; save, run the other actions, re-run. */
  mode?: 'apply' | 'afterEdit';
}

export function isFixRef(x: unknown): x is FixRef {
  const r = x as FixRef;
  return !!r && typeof r === 'object' && typeof r.fixIndex === 'number' && !!r.finding && Array.isArray(r.finding.fixes);
}

export function vsRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/** Edit groups of a list of actions, per file. */
export function editsByUri(actions: readonly Action[]): Map<string, TextEdit[]> {
  const m = new Map<string, TextEdit[]>();
  for (const a of actions) {
    if (a.kind !== 'editFile') continue;
    const key = [...m.keys()].find((k) => sameUri(k, a.uri)) ?? a.uri;
    m.set(key, [...(m.get(key) ?? []), ...a.edits]);
  }
  return m;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Build one WorkspaceEdit from per-file edits; files that do not exist yet are created first. */
export async function toWorkspaceEdit(
  edits: Map<string, TextEdit[]>,
  metadata?: vscode.WorkspaceEditEntryMetadata,
): Promise<vscode.WorkspaceEdit> {
  const we = new vscode.WorkspaceEdit();
  for (const [uriText, list] of edits) {
    const uri = editorUri(uriText);
    if (!(await exists(uri))) we.createFile(uri, { ignoreIfExists: true }, metadata);
    for (const e of list) {
      if (metadata) we.replace(uri, vsRange(e.range), e.newText, metadata);
      else we.replace(uri, vsRange(e.range), e.newText);
    }
  }
  return we;
}

/** The same WorkspaceEdit built synchronously (code actions), assuming the files exist. */
export function toWorkspaceEditSync(edits: Map<string, TextEdit[]>, metadata?: vscode.WorkspaceEditEntryMetadata): vscode.WorkspaceEdit {
  const we = new vscode.WorkspaceEdit();
  for (const [uriText, list] of edits) {
    const uri = editorUri(uriText);
    for (const e of list) {
      if (metadata) we.replace(uri, vsRange(e.range), e.newText, metadata);
      else we.replace(uri, vsRange(e.range), e.newText);
    }
  }
  return we;
}

/** Current text of a file: the open document if any (unsaved changes included), else disk, else ''. */
async function currentText(uri: vscode.Uri): Promise<{ text: string; dirty: boolean } | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => sameUri(d.uri.toString(), uri.toString()));
  if (open) return { text: open.getText(), dirty: open.isDirty };
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    let text = new TextDecoder('utf-8').decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { text, dirty: false };
  } catch {
    return undefined;
  }
}

/**
 * Whether the files still hold the text the engine computed its ranges on. Files that are neither a
 * settings layer nor a folder's launch.json in the snapshot cannot be checked and count as fresh.
 */
export async function staleFiles(ctx: Ctx, uris: Iterable<string>): Promise<string[]> {
  const stale: string[] = [];
  for (const u of uris) {
    const before = snapshotTextOf(ctx.snapshot, u);
    if (before === undefined) continue;
    const now = await currentText(editorUri(u));
    if ((now?.text ?? '') !== before || now?.dirty) stale.push(u);
  }
  return stale;
}

/** Tell the user the file changed since the diagnosis, and re-run. */
export function reportStale(ctx: Ctx, stale: string[]): void {
  const names = stale.map(baseName).join(', ');
  void vscode.window.showWarningMessage(
    `Go Setup Doctor: ${names} changed since the diagnosis (or has unsaved changes). Save it; the diagnosis runs again and the fix is recomputed.`,
  );
  ctx.runner.schedule('file changed before a fix', 0);
}

/** Save the documents of the given URIs (after a WorkspaceEdit), so VS Code reloads the settings. */
export async function saveAll(uris: Iterable<string>): Promise<void> {
  for (const u of uris) {
    try {
      const doc = await vscode.workspace.openTextDocument(editorUri(u));
      if (doc.isDirty) await doc.save();
    } catch {
      /* a file that cannot be opened was not edited either */
    }
  }
}

const terminals = new Map<string, vscode.Terminal>();

/** Type a command line in a terminal without running it (no trailing newline). */
export function typeInTerminal(text: string, cwd?: string): void {
  const key = cwd ?? '';
  let t = terminals.get(key);
  if (!t || t.exitStatus !== undefined || !vscode.window.terminals.includes(t)) {
    const name = cwd ? `Go Setup Doctor (${baseName(cwd)})` : 'Go Setup Doctor';
    t = vscode.window.createTerminal({ name, cwd });
    terminals.set(key, t);
  }
  t.show(false);
  t.sendText(text, false);
}

/** Run the non-edit actions of a fix. */
async function runOtherActions(ctx: Ctx, actions: readonly Action[]): Promise<void> {
  for (const a of actions) {
    switch (a.kind) {
      case 'editFile':
        break;
      case 'runShell':
      case 'appendToProfile': {
        const text = terminalText(a);
        if (text) {
          typeInTerminal(text, a.kind === 'runShell' ? a.cwd : undefined);
          void vscode.window.showInformationMessage(
            'Go Setup Doctor typed the command in the terminal. Check it, then press Enter to run it.',
          );
        }
        break;
      }
      case 'runVsCodeCommand':
        await vscode.commands.executeCommand(a.command, ...a.args);
        break;
      case 'openUrl':
        await vscode.env.openExternal(vscode.Uri.parse(a.url));
        break;
    }
    ctx.log.info(`fix action: ${describeAction(a)}`);
  }
}

/** Text for the confirmation of an unsafe fix: every change as old -> new. */
async function confirmationDetail(fix: Fix): Promise<string> {
  const lines: string[] = [];
  for (const [uri, edits] of editsByUri(fix.actions)) {
    const now = await currentText(editorUri(uri));
    lines.push(`${uriToPath(uri)}:`);
    for (const p of editPreview(now?.text ?? '', edits)) {
      lines.push(`  line ${p.line}`);
      lines.push(`    − ${p.before || '(nothing)'}`);
      lines.push(`    + ${p.after || '(removed)'}`);
    }
  }
  for (const a of fix.actions) {
    if (a.kind === 'runShell' || a.kind === 'appendToProfile') {
      lines.push(`Types in a terminal (you press Enter): ${terminalText(a)}`);
    } else if (a.kind !== 'editFile') {
      lines.push(describeAction(a));
    }
  }
  return lines.join('\n');
}

/** Show a display-only fix: its command/line with a copy button. */
async function showDisplayOnly(fix: Fix): Promise<void> {
  const texts = fix.actions.map((a) => (a.kind === 'openUrl' ? a.url : terminalText(a) ?? describeAction(a)));
  const url = fix.actions.find((a): a is Extract<Action, { kind: 'openUrl' }> => a.kind === 'openUrl');
  const buttons = ['Copy', ...(url ? ['Open Link'] : [])];
  const pick = await vscode.window.showInformationMessage(fix.title, { modal: true, detail: texts.join('\n') }, ...buttons);
  if (pick === 'Copy') await vscode.env.clipboard.writeText(texts.join('\n'));
  if (pick === 'Open Link' && url) await vscode.env.openExternal(vscode.Uri.parse(url.url));
}

/** Apply one fix. Returns whether anything was applied. */
export async function applyFix(ctx: Ctx, ref: FixRef): Promise<boolean> {
  const fix = ref.finding.fixes[ref.fixIndex];
  if (!fix) return false;
  const edits = editsByUri(fix.actions);

  if (ref.mode === 'afterEdit') {
    // A code action already applied the WorkspaceEdit.
    await saveAll(edits.keys());
    await runOtherActions(ctx, fix.actions);
    ctx.log.info(`applied fix "${fix.title}" (${ref.finding.code}) from a code action`);
    ctx.runner.schedule('fix applied', 300);
    return true;
  }

  if (fix.applicability === 'displayOnly') {
    await showDisplayOnly(fix);
    return false;
  }

  const stale = await staleFiles(ctx, edits.keys());
  if (stale.length) {
    reportStale(ctx, stale);
    return false;
  }

  let preview = false;
  if (fix.applicability === 'unsafe') {
    const detail = await confirmationDetail(fix);
    const buttons = edits.size ? ['Apply', 'Preview Changes'] : ['Continue'];
    const pick = await vscode.window.showWarningMessage(
      `${fix.title}? This fix needs review: it may change how Go behaves in this workspace.`,
      { modal: true, detail },
      ...buttons,
    );
    if (!pick) return false;
    preview = pick === 'Preview Changes';
  }

  if (edits.size) {
    const metadata = preview ? { needsConfirmation: true, label: fix.title } : undefined;
    const we = await toWorkspaceEdit(edits, metadata);
    const ok = await vscode.workspace.applyEdit(we, preview ? { isRefactoring: true } : undefined);
    if (!ok) {
      if (!preview) void vscode.window.showErrorMessage(`Go Setup Doctor could not apply "${fix.title}".`);
      return false;
    }
    await saveAll(edits.keys());
  }
  await runOtherActions(ctx, fix.actions);
  ctx.log.info(`applied fix "${fix.title}" (${ref.finding.code})`);
  ctx.runner.schedule('fix applied', 300);
  return true;
}
