// Activation: build the Ctx, register commands, presenters and triggers, and return. Nothing runs
// here; the first diagnosis is scheduled after activation (goSetupDoctor.autoRun).
//
// Our own modules are loaded inside activate(), not by top-level imports: an error while one of
// them initialises (a bundling mistake, a file missing from the VSIX, a bad engine build) would
// otherwise happen while VS Code loads dist/extension.js, and all the user would see is "command
// 'goSetupDoctor.diagnose' not found". Here it is caught, logged and shown (with "Show log"), and
// every command of ours, and the view, say what went wrong instead. (A syntax error in the bundle
// itself can't be caught from inside it: scripts/package.sh loads the bundle to catch that.)
import * as vscode from 'vscode';
import type { Ctx } from './ctx';

let current: Ctx | undefined;

/** Our modules, loaded by activate() (esbuild keeps each one's initialisation lazy until then). */
export function loadModules() {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    ctx: require('./ctx') as typeof import('./ctx'),
    commands: require('./commands/index') as typeof import('./commands/index'),
    triggers: require('./commands/triggers') as typeof import('./commands/triggers'),
    codeActions: require('./present/codeActions') as typeof import('./present/codeActions'),
    details: require('./present/details') as typeof import('./present/details'),
    problems: require('./present/problems') as typeof import('./present/problems'),
    statusBar: require('./present/statusBar') as typeof import('./present/statusBar'),
    tree: require('./present/tree') as typeof import('./present/tree'),
    model: require('./present/model') as typeof import('./present/model'),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

export function activate(context: vscode.ExtensionContext): void {
  // Created first, by us: it must exist to log an activation failure.
  const log = vscode.window.createOutputChannel('Go Setup Doctor', { log: true });
  context.subscriptions.push(log);
  try {
    const m = loadModules();
    const ctx = new m.ctx.Ctx(context, log);
    current = ctx;
    context.subscriptions.push(ctx);
    m.commands.registerCommands(ctx);
    ctx.subscribe(new m.tree.FindingsTree(ctx));
    ctx.subscribe(new m.details.FindingDetails(ctx));
    ctx.subscribe(new m.problems.Problems(ctx));
    ctx.subscribe(new m.statusBar.StatusBar(ctx));
    ctx.subscribe(m.codeActions.registerCodeActions(ctx));
    m.triggers.registerTriggers(ctx);
    const remote = m.model.remoteLabel(vscode.env.remoteName);
    ctx.log.info(`Go Setup Doctor ${ctx.extensionVersion} activated (VS Code ${vscode.version}${remote ? `, ${remote}` : ''})`);
  } catch (e) {
    // Undo what was set up (commands, view) before putting the stand-ins in place.
    try {
      current?.dispose();
    } catch {
      /* keep going */
    }
    current = undefined;
    activationFailed(context, log, e);
  }
}

/** Commands that show the view when they work: their stand-ins show it too. */
const FOCUS_VIEW = new Set(['goSetupDoctor.diagnose', 'goSetupDoctor.showReport', 'goSetupDoctor.refresh']);

/**
 * Show the error (with "Show log"), and keep our commands and view answering with it. Activation
 * itself then succeeds: a rethrown error would only be noted in VS Code's own log.
 */
function activationFailed(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, e: unknown): void {
  // The first line: a module error goes on with its require stack (that is in the log).
  const message = (e instanceof Error ? e.message : String(e)).split('\n')[0];
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? '');
  log.error(`Go Setup Doctor ${version} failed to start: ${e instanceof Error && e.stack ? e.stack : message}`);
  console.error('Go Setup Doctor failed to start:', e);
  const text = `Go Setup Doctor failed to start: ${message}`;
  const show = async () => {
    const pick = await vscode.window.showErrorMessage(text, 'Show log');
    if (pick === 'Show log') log.show(true);
  };
  const contributes = (context.extension.packageJSON as { contributes?: { commands?: Array<{ command?: unknown }> } }).contributes;
  for (const c of contributes?.commands ?? []) {
    if (typeof c.command !== 'string') continue;
    const id = c.command;
    const handler =
      id === 'goSetupDoctor.showLog'
        ? () => log.show(true)
        : FOCUS_VIEW.has(id)
          ? async () => {
              // Where the user expected the diagnosis: the view, which says what went wrong.
              await vscode.commands.executeCommand('goSetupDoctor.findings.focus').then(undefined, () => undefined);
              await show();
            }
          : show;
    try {
      context.subscriptions.push(vscode.commands.registerCommand(id, handler));
    } catch (err) {
      log.error(`could not register ${id}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  try {
    // The view's message holds the whole error; the row is short enough for the sidebar.
    const item = new vscode.TreeItem('Failed to start: show log');
    item.tooltip = `${text}\n\nClick to show the log.`;
    item.accessibilityInformation = { label: `${text}. Click to show the log.` };
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
    item.command = { command: 'goSetupDoctor.showLog', title: 'Show log' };
    const view = vscode.window.createTreeView<vscode.TreeItem>('goSetupDoctor.findings', {
      treeDataProvider: { getChildren: (el) => (el ? [] : [item]), getTreeItem: (el) => el },
    });
    view.message = text;
    context.subscriptions.push(view);
  } catch (err) {
    log.error(`could not show the failure in the view: ${err instanceof Error ? err.message : String(err)}`);
  }
  void show();
}

export function deactivate(): void {
  current?.dispose();
  current = undefined;
}
