// When the diagnosis runs by itself (goSetupDoctor.autoRun): once after activation (~1 s), and,
// debounced (~500 ms), when go/gopls/goSetupDoctor settings change, workspace folders change,
// settings.json / .vscode/launch.json / *.code-workspace / go.mod / go.work files change, or the
// workspace is trusted.
import * as path from 'path';
import * as vscode from 'vscode';
import { Config } from '../config';
import type { Ctx } from '../ctx';
import { userDirFromGlobalStorage, userSettingsUri } from '../gather/settings';

export const ACTIVATION_DELAY_MS = 1000;

/** Files whose change can change the diagnosis. */
export function isWatchedFile(fsPath: string): boolean {
  const base = path.basename(fsPath);
  if (base === 'launch.json') return path.basename(path.dirname(fsPath)) === '.vscode';
  return base === 'settings.json' || base === 'go.mod' || base === 'go.work' || base.endsWith('.code-workspace');
}

export function registerTriggers(ctx: Ctx): void {
  const auto = (reason: string, delayMs?: number) => {
    if (ctx.config.autoRun) ctx.runner.schedule(reason, delayMs);
  };

  ctx.subscribe(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (Config.affects(e, 'autoRun') && ctx.config.autoRun) return auto('goSetupDoctor.autoRun turned on');
      if (e.affectsConfiguration('go') || e.affectsConfiguration('gopls') || Config.affects(e)) auto('settings changed');
    }),
  );
  ctx.subscribe(vscode.workspace.onDidChangeWorkspaceFolders(() => auto('workspace folders changed')));
  ctx.subscribe(vscode.workspace.onDidGrantWorkspaceTrust(() => auto('workspace trusted')));
  ctx.subscribe(
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (doc.uri.scheme === 'file' || doc.uri.scheme === 'vscode-userdata' || doc.uri.scheme === 'vscode-remote') {
        if (isWatchedFile(doc.uri.path)) auto(`${path.posix.basename(doc.uri.path)} saved`);
      }
    }),
  );

  // Changes made outside the editor (git checkout, go mod init, go work use, another window).
  const onFile = (uri: vscode.Uri) => auto(`${path.posix.basename(uri.path)} changed`);
  const watch = (pattern: vscode.GlobPattern) => {
    const w = ctx.subscribe(vscode.workspace.createFileSystemWatcher(pattern));
    ctx.subscribe(w.onDidChange(onFile));
    ctx.subscribe(w.onDidCreate(onFile));
    ctx.subscribe(w.onDidDelete(onFile));
  };
  watch('**/.vscode/{settings,launch}.json');
  watch('**/{go.mod,go.work,*.code-workspace}');
  const wsf = vscode.workspace.workspaceFile;
  if (wsf?.scheme === 'file') watch(new vscode.RelativePattern(vscode.Uri.joinPath(wsf, '..'), path.posix.basename(wsf.path)));
  // The user settings file lives outside the workspace.
  const user = userSettingsUri({ globalStorageUri: ctx.ext.globalStorageUri, userSettingsPath: ctx.config.userSettingsPath });
  if (user.scheme === 'file') {
    watch(new vscode.RelativePattern(vscode.Uri.joinPath(user, '..'), path.posix.basename(user.path)));
  }
  const machine = vscode.Uri.joinPath(userDirFromGlobalStorage(ctx.ext.globalStorageUri), '..', 'Machine');
  if (machine.scheme === 'file') watch(new vscode.RelativePattern(machine, 'settings.json'));

  // The first run, after activation has finished.
  auto('activation', ACTIVATION_DELAY_MS);
}
