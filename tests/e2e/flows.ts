// What every e2e file does around its flows: one VS Code session per describe() (opened in
// before(), closed in after() with the checks that nothing it started survived), and "Diagnose Go
// setup, then wait for the headline".
import assert from 'node:assert/strict';
import * as fs from 'fs';
import { after, before } from 'node:test';
import * as jsonc from 'jsonc-parser';
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

/** Parse a file a fix wrote: comments allowed, trailing commas reported as errors. */
export function parseJsonc(text: string): { value: any; errors: jsonc.ParseError[] } {
  const errors: jsonc.ParseError[] = [];
  const value = jsonc.parse(text, errors, { allowTrailingComma: false, disallowComments: false });
  return { value, errors };
}

/** Wait until the file on disk no longer contains `gone` (a fix was saved); returns its text. */
export async function fileWithout(file: string, gone: string, what: string): Promise<string> {
  return eventually(() => {
    const t = fs.readFileSync(file, 'utf8');
    return t.includes(gone) ? undefined : t;
  }, what);
}

/**
 * Ctrl+. in the active editor (the cursor already on the diagnostic) until the quick fix menu is
 * open and lists `label`; returns the menu. Each attempt puts the keyboard focus back in the
 * editor first and, when VS Code answered "No code actions available" (the first request can race
 * the language features of a just-opened file), waits for that message to go before asking again,
 * so an old message is never taken for the new answer. A timeout says what every attempt saw.
 */
export async function openQuickFixMenu(v: VsCode, label: string): Promise<ReturnType<VsCode['page']['locator']>> {
  const page = v.page;
  const editor = page.locator('.editor-group-container.active .monaco-editor textarea').first();
  const widget = page.locator('.action-widget');
  const none = page.locator('.monaco-editor-overlaymessage', { hasText: 'No code actions available' });
  const seen: string[] = [];
  try {
    await eventually(
      async () => {
        if (await none.isVisible()) {
          await page.keyboard.press('Escape');
          await none.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
        }
        await editor.focus();
        await page.keyboard.press('Control+.');
        const got = await Promise.race([
          widget.waitFor({ state: 'visible', timeout: 10_000 }).then(() => 'menu' as const),
          none.waitFor({ state: 'visible', timeout: 10_000 }).then(() => 'none' as const),
        ]).catch(() => 'nothing' as const);
        if (got === 'menu') {
          const has = await widget
            .getByText(label)
            .first()
            .waitFor({ timeout: 2_000 })
            .then(() => true)
            .catch(() => false);
          if (has) return true;
          seen.push(`menu without "${label}": ${(await widget.innerText().catch(() => '')).replace(/\s+/g, ' ')}`);
        } else {
          seen.push(got === 'none' ? '"No code actions available"' : 'no menu and no message within 10 s');
        }
        await page.keyboard.press('Escape');
        await widget.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
        return false;
      },
      'the quick fix menu (Ctrl+.)',
      T.diagnose,
      1_000,
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}; attempts saw: ${seen.join(' | ') || 'none'}`);
  }
  if (seen.length) console.log(`# Ctrl+. needed ${seen.length + 1} attempts: ${seen.join(' | ')}`);
  return widget;
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
