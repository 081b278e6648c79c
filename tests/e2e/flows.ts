// What every e2e file does around its flows: one VS Code session per describe() (opened in
// before(), closed in after() with the checks that nothing it started survived), and "Diagnose Go
// setup, then wait for the headline".
import assert from 'node:assert/strict';
import * as fs from 'fs';
import { after, before } from 'node:test';
import {
  T,
  eventually,
  leftoversOfThisProcess,
  missingPrerequisites,
  openVsCode,
  tempDir,
  type SessionOptions,
  type VsCode,
} from './harness';

export interface Session {
  /** The VS Code that before() opened. */
  readonly vs: VsCode;
}

/**
 * Registers the before() and after() hooks of the enclosing describe(). before(): checks the
 * prerequisites, makes the temp dir `gsd-e2e-<name>-…`, lets `prepare` write the workspace under
 * it and say how to open it, and opens VS Code (`name` also names the screenshots). after():
 * closes the session, removes the temp dir, and asserts that none of the session's processes, nor
 * any code-server/chromium this test process started, survived.
 */
export function useSession(name: string, prepare: (root: string) => Omit<SessionOptions, 'name'>): Session {
  let vs: VsCode | undefined;
  let root: string | undefined;

  before(async () => {
    const missing = missingPrerequisites();
    assert.deepEqual(missing, [], `e2e prerequisites missing:\n${missing.join('\n')}`);
    root = tempDir(name);
    vs = await openVsCode({ name, ...prepare(root) });
  });

  after(async () => {
    const r = await vs?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
    assert.deepEqual(r?.survivors ?? [], [], 'processes of the session survived close()');
    assert.deepEqual(leftoversOfThisProcess(), [], 'code-server/chromium processes started by this test survived');
  });

  return {
    get vs() {
      return vs!;
    },
  };
}

/** "Diagnose Go setup" from the palette, then wait until the view's headline matches `headline`. */
export async function diagnoseAndWait(v: VsCode, headline: RegExp, what: string): Promise<void> {
  await v.runCommand('Diagnose Go setup');
  await eventually(async () => headline.test(await v.doctorHeadline()), what, T.diagnose);
}

/**
 * Choose the quick fix whose label contains `label` in the open Ctrl+. menu, with the keyboard as a
 * user does after Ctrl+. (a click is blocked by the menu's pointer guard until the mouse moves; the
 * preferred, safe fix is focused first), then wait for the menu to close.
 */
export async function pickQuickFix(v: VsCode, widget: ReturnType<VsCode['page']['locator']>, label: string): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const focused = widget.locator('.monaco-list-row.focused');
    if (((await focused.innerText().catch(() => '')) ?? '').includes(label)) break;
    await v.page.keyboard.press('ArrowDown');
  }
  await v.page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden' });
}
