"use client";

import { useEffect, useRef } from "react";
import { Button } from "./form";

const SHORTCUTS: { keys: string[]; what: string }[] = [
  { keys: ["?"], what: "Show these shortcuts" },
  { keys: ["j"], what: "Focus the next task card" },
  { keys: ["k"], what: "Focus the previous task card" },
  { keys: ["Enter"], what: "Open the focused card's details" },
  { keys: ["Esc"], what: "Close the details or this list" },
  { keys: ["Ctrl", "Enter"], what: "Send the form you are typing in (⌘ Enter on a Mac): answers, a new scope, a note" },
];

/** Typing in a field: single-letter shortcuts stay out of the way. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.matches("input, textarea, select");
}

/** The task cards a person can see now (a phone shows one board column), in board order. */
function visibleCards(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>("li[data-task-id] button")].filter((button) => button.getClientRects().length > 0);
}

function moveCardFocus(step: 1 | -1) {
  const cards = visibleCards();
  if (cards.length === 0) return;
  const at = cards.findIndex((card) => card === document.activeElement);
  const next = at === -1 ? (step === 1 ? 0 : cards.length - 1) : Math.min(Math.max(at + step, 0), cards.length - 1);
  cards[next]!.focus();
}

/** Ctrl/⌘+Enter sends the form the field belongs to, as its submit button would; a disabled button sends nothing. */
function submitEnclosingForm(target: EventTarget | null): boolean {
  const form = target instanceof HTMLElement ? target.closest("form") : null;
  if (!form) return false;
  const submitter = form.querySelector<HTMLButtonElement | HTMLInputElement>('button[type="submit"], button:not([type]), input[type="submit"]');
  if (!submitter || submitter.disabled) return false;
  form.requestSubmit(submitter);
  return true;
}

/**
 * Keyboard shortcuts for every page, and the list of them behind `?`. Escape
 * and Enter need nothing here: the drawer and this list are native modal
 * dialogs (Escape closes them), and a focused card is a button.
 */
export function KeyboardShortcuts() {
  const help = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        if (submitEnclosingForm(event.target)) event.preventDefault();
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (event.key === "?") {
        if (help.current && !help.current.open) help.current.showModal();
        event.preventDefault();
      } else if ((event.key === "j" || event.key === "k") && !document.querySelector("dialog[open]")) {
        moveCardFocus(event.key === "j" ? 1 : -1);
        event.preventDefault();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
  return (
    <>
      <p className="mx-auto hidden max-w-6xl px-4 pb-6 text-xs text-zinc-600 sm:block dark:text-zinc-400">
        Press <kbd className="rounded border border-zinc-300 px-1 font-mono dark:border-zinc-700">?</kbd> for keyboard shortcuts.
      </p>
      <dialog
        ref={help}
        aria-labelledby="shortcuts-heading"
        onClick={(event) => {
          if (event.target === event.currentTarget) event.currentTarget.close();
        }}
        className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-lg border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-100"
        data-testid="shortcuts-help"
      >
        <div className="space-y-4 p-5 text-sm">
          <h2 id="shortcuts-heading" className="text-base font-semibold">
            Keyboard shortcuts
          </h2>
          <p className="text-xs text-zinc-600 dark:text-zinc-400">Letters do nothing while you type in a field.</p>
          <table className="w-full text-left">
            <caption className="sr-only">Keys and what they do</caption>
            <thead className="sr-only">
              <tr>
                <th scope="col">Keys</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {SHORTCUTS.map(({ keys, what }) => (
                <tr key={keys.join("+")}>
                  <td className="whitespace-nowrap py-1.5 pr-4 align-top">
                    {keys.map((key, index) => (
                      <span key={key}>
                        {index > 0 ? " + " : null}
                        <kbd className="rounded border border-zinc-300 bg-zinc-50 px-1.5 py-0.5 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-900">{key}</kbd>
                      </span>
                    ))}
                  </td>
                  <td className="py-1.5">{what}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="flex justify-end">
            <Button type="button" variant="secondary" onClick={() => help.current?.close()}>
              Close
            </Button>
          </div>
        </div>
      </dialog>
    </>
  );
}
