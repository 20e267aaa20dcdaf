import { useState, type Dispatch, type FormEvent, type SetStateAction } from "react";

// What a form's submit or a button's click shows while it waits on the API: busy until the action
// settles, and its failure in words. One place, so every form clears, marks and reports alike.

export type ActionState<Problem> = {
  busy: boolean;
  error: Problem | null;
  /** For a check that refuses before anything is sent, or a failure reported from elsewhere. */
  setError: Dispatch<SetStateAction<Problem | null>>;
  /** Clears the error, marks busy, awaits `action`; a throw becomes the error; busy ends either way. */
  run(action: () => Promise<unknown>): Promise<void>;
  /** A form's onSubmit: keeps the browser from submitting, then `run`s the action. */
  onSubmit(action: () => Promise<unknown>): (event: FormEvent) => void;
};

/**
 * `describe` turns a failure into what the form shows (`describeError` for the API's own words);
 * null shows nothing (a cancelled password prompt). A handler that validates first calls
 * `preventDefault` and `setError` itself and `run`s only a valid submission, so a refused one never
 * flips the button to busy.
 */
export function useAction<Problem = string>(describe: (error: unknown) => Problem | null): ActionState<Problem> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Problem | null>(null);

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(describe(caught));
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = (action: () => Promise<unknown>) => (event: FormEvent) => {
    event.preventDefault();
    void run(action);
  };

  return { busy, error, setError, run, onSubmit };
}
