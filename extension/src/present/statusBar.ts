// Status bar: quiet "$(check) Go" when there is no warning or error; otherwise the counts on a
// warning/error background. Click reveals the report.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';

export class StatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('goSetupDoctor.status', vscode.StatusBarAlignment.Left, 10);

  constructor(private readonly ctx: Ctx) {
    this.item.name = 'Go Setup Doctor';
    this.item.command = 'goSetupDoctor.showReport';
    ctx.onDidChange(() => this.render());
    this.render();
  }

  render(): void {
    const { running, result, failure } = this.ctx;
    const item = this.item;
    if (running) {
      item.text = result ? `$(sync~spin) ${result.model.status.text.replace(/^\$\(check\) /, '')}` : '$(sync~spin) Go';
      item.tooltip = 'Go Setup Doctor: diagnosing the Go setup…';
      item.show();
      return;
    }
    if (failure) {
      item.text = '$(error) Go';
      item.tooltip = `Go Setup Doctor: the diagnosis failed (${failure.message}). Click to show the report.`;
      item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      item.show();
      return;
    }
    if (!result) {
      item.hide();
      return;
    }
    const s = result.model.status;
    item.text = s.text;
    item.tooltip = s.tooltip;
    item.backgroundColor =
      s.level === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : s.level === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
