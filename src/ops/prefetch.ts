// Reads started before we know whether they will be needed, so that they run alongside a longer one.

/** A read started before we know whether it will be needed. */
export interface Prefetch<T> {
  /** Waits for the read; its failure surfaces here, and only here. */
  result(): Promise<T>;
  /** It is not needed after all: stop it (pages not yet asked for are never asked for). */
  cancel(): void;
}

export function prefetch<T>(signal: AbortSignal | undefined, start: (signal: AbortSignal) => Promise<T>): Prefetch<T> {
  const stop = new AbortController();
  // Settled at once, so that a failure of a read nobody ends up waiting for is neither thrown nor unhandled.
  const settled = start(signal ? AbortSignal.any([signal, stop.signal]) : stop.signal).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  return {
    async result() {
      const r = await settled;
      if (!r.ok) throw r.error;
      return r.value;
    },
    cancel: () => stop.abort(),
  };
}
