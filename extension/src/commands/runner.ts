// The diagnose pipeline: settings layers + gatherSnapshot -> engine -> ctx (presenters re-render).
// Runs are numbered; a run whose result arrives after a newer run started is dropped.
import * as path from 'path';
import * as vscode from 'vscode';
import type { Ctx, Runner } from '../ctx';
import { gatherSettingsLayers, gatherVsCode } from '../gather/settings';
import { gatherSnapshot } from '../gather/snapshot';
import type { Snapshot } from '../engine/generated/Snapshot';

/** Debounce of change triggers. */
export const TRIGGER_DEBOUNCE_MS = 500;

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Gather and check once. Resolves to true when this run's result was stored. */
export async function runDiagnosis(ctx: Ctx, reason: string, explicit: boolean): Promise<boolean> {
  const seq = ctx.beginRun();
  const started = Date.now();
  ctx.log.info(`run #${seq} (${reason})`);
  const location = explicit ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window;
  return vscode.window.withProgress(
    { location, title: explicit ? 'Diagnosing Go setup' : 'Go Setup Doctor', cancellable: explicit },
    async (progress, token) => {
      let snapshot: Snapshot | undefined;
      const stale = () => {
        if (ctx.isCurrent(seq) && !token.isCancellationRequested) return false;
        ctx.log.info(`run #${seq} dropped (${token.isCancellationRequested ? 'cancelled' : 'a newer run started'})`);
        if (token.isCancellationRequested) ctx.abandonRun(seq);
        return true;
      };
      try {
        progress.report({ message: 'reading settings' });
        const folders = vscode.workspace.workspaceFolders ?? [];
        const layers = await gatherSettingsLayers({
          globalStorageUri: ctx.ext.globalStorageUri,
          userSettingsPath: ctx.config.userSettingsPath,
          workspaceFile: vscode.workspace.workspaceFile,
          folders,
          remoteName: vscode.env.remoteName,
          log: (l) => ctx.log.info(l),
        });
        if (stale()) return false;
        progress.report({ message: 'probing go, tools and environment' });
        const wsf = vscode.workspace.workspaceFile;
        snapshot = await gatherSnapshot({
          folders: folders.filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
          layers,
          workspaceFile: wsf && wsf.scheme === 'file' ? wsf.fsPath : undefined,
          env: process.env,
          trusted: vscode.workspace.isTrusted,
          vscode: gatherVsCode(),
          timeoutMs: ctx.config.probeTimeoutMs,
          origin: 'vscode',
          // Our log dir is <logs>/<session>/window<N>/exthost/<extension id> (code-server:
          // <logs>/<session>/exthost<N>/<extension id>); its parent holds the output_logging_*
          // dirs with the Go extension's "gopls (server)" channel.
          exthostLogDir: ctx.ext.logUri.scheme === 'file' ? path.dirname(ctx.ext.logUri.fsPath) : undefined,
        });
        if (stale()) return false;
        progress.report({ message: 'checking' });
        const report = ctx.engine.run(snapshot);
        if (stale()) return false;
        const ms = Date.now() - started;
        const s = report.summary;
        ctx.log.info(
          `run #${seq} done in ${ms} ms: ${s.errors} errors, ${s.warnings} warnings, ${s.infos} infos, ${s.passed} passed, ${s.skipped} skipped`,
        );
        return ctx.finishRun(seq, snapshot, report, ms);
      } catch (e) {
        const message = errorMessage(e);
        ctx.log.error(`run #${seq} failed: ${e instanceof Error && e.stack ? e.stack : message}`);
        if (!ctx.failRun(seq, message, snapshot)) return false;
        if (explicit) {
          const pick = await vscode.window.showErrorMessage(
            `Go Setup Doctor: the diagnosis failed: ${message}`,
            'Show Log',
            'Copy Go setup report',
          );
          if (pick === 'Show Log') ctx.log.show();
          if (pick === 'Copy Go setup report') void vscode.commands.executeCommand('goSetupDoctor.copyReport');
        }
        return false;
      }
    },
  );
}

/** Debounced scheduling on top of runDiagnosis. */
export class DiagnosisRunner implements Runner, vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private reasons = new Set<string>();

  constructor(private readonly ctx: Ctx) {}

  schedule(reason: string, delayMs = TRIGGER_DEBOUNCE_MS): void {
    this.reasons.add(reason);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const why = [...this.reasons].join(', ');
      this.reasons.clear();
      void runDiagnosis(this.ctx, why, false);
    }, delayMs);
  }

  runNow(reason: string, explicit: boolean): Promise<boolean> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const why = [...this.reasons, reason].join(', ');
    this.reasons.clear();
    return runDiagnosis(this.ctx, why, explicit);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
