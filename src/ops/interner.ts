// One copy of each equal string a long read keeps (issue 14 item 3). JSON.parse makes a new string for
// every value it reads: on a large account the health check held one copy of an integration's id per
// flow, of a connection's id per export and import, of a flow's id per list and map it is a key of, and
// of a schedule per flow that runs on it; a few megabytes of its live memory, and more of its peak.

/** A function that hands back the first string equal to the one given. */
export function interner(): (s: string) => string {
  const pool = new Map<string, string>();
  return (s) => {
    const had = pool.get(s);
    if (had !== undefined) return had;
    pool.set(s, s);
    return s;
  };
}

/** No interning: every string as given. */
export const asGiven = (s: string): string => s;
