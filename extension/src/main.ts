// Activation: build the Ctx, register commands, presenters and triggers, and return. Nothing runs
// here; the first diagnosis is scheduled after activation (goSetupDoctor.autoRun). Activation
// errors are shown to the user: VS Code itself does not notify when an extension fails to activate.
import * as vscode from 'vscode';
import { registerCommands } from './commands/index';
import { registerTriggers } from './commands/triggers';
import { Ctx } from './ctx';
import { registerCodeActions } from './present/codeActions';
import { Problems } from './present/problems';
import { StatusBar } from './present/statusBar';
import { FindingsTree } from './present/tree';

let current: Ctx | undefined;

export function activate(context: vscode.ExtensionContext): void {
  try {
    const ctx = new Ctx(context);
    current = ctx;
    context.subscriptions.push(ctx);
    registerCommands(ctx);
    ctx.subscribe(new FindingsTree(ctx));
    ctx.subscribe(new Problems(ctx));
    ctx.subscribe(new StatusBar(ctx));
    ctx.subscribe(registerCodeActions(ctx));
    registerTriggers(ctx);
    ctx.log.info(`Go Setup Doctor ${ctx.extensionVersion} activated (VS Code ${vscode.version}${vscode.env.remoteName ? `, remote ${vscode.env.remoteName}` : ''})`);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    void vscode.window.showErrorMessage(`Go Setup Doctor failed to activate: ${message}`);
    throw e;
  }
}

export function deactivate(): void {
  current?.dispose();
  current = undefined;
}
