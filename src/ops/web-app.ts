// Where in Celigo's web app (integrator.io) a person does what the API, or celigo-manage, cannot: re-authorise
// OAuth, re-enter a secret (celigo-manage never holds credentials), bring a connection back online.

/** "in integrator.io: Resources → Connections → "NetSuite Sandbox" → Edit"; without a name, the step's connection. */
export function connectionInApp(name?: string): string {
  return `in integrator.io: Resources → Connections → ${name ? JSON.stringify(name) : "the step's connection"} → Edit`;
}
