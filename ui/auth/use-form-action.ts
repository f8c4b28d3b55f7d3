"use client";

import { useActionState, useCallback, useState } from "react";

/**
 * The auth forms' one state shape: a server action's answer (`state`), whether it runs (`pending`), and whether the
 * last submit never reached the server (`offline`: the browser's "Failed to fetch", a TypeError), which the form says
 * in the reader's language (errors.network) instead of the page crashing on the thrown error. The state stays as it
 * was, so the typed e-mail and shown messages survive.
 */
export function useFormAction<S>(action: (prev: Awaited<S>, form: FormData) => Promise<S>, initial: Awaited<S>) {
  const [offline, setOffline] = useState(false);
  const guarded = useCallback(
    async (prev: Awaited<S>, form: FormData): Promise<S> => {
      setOffline(false);
      try {
        return await action(prev, form);
      } catch (err) {
        if (err instanceof TypeError) {
          setOffline(true);
          // An answer already in hand is kept (Awaited<S> is S for the forms' plain state objects).
          return prev as S;
        }
        throw err;
      }
    },
    [action],
  );
  const [state, formAction, pending] = useActionState(guarded, initial);
  return { state, formAction, pending, offline };
}
