// What the person asks, per workflow and seed: the words they would type, and the facts in those words
// that the agent may use as argument values. Each fact must appear in the words (checked below), so the
// agent's only knowledge of the account is what the person said and what the server answers.

const health = {
  text: 'Run the daily health check of our Celigo account for the last 24 hours and tell me what needs attention.',
  facts: { range: 'last 24 hours' },
};

const troubleshoot = {
  text: 'Something is failing in our Celigo account. Troubleshoot the failing integration over the last 24 hours: find the cause, fix it if the tools can, retry the failed jobs and verify they went through. You may make the fix and the retry.',
  facts: { range: 'last 24 hours' },
};

function create({ source, destination }) {
  const name = 'Shopify - NetSuite Customers';
  const relativeURI = '/admin/api/2024-01/customers.json';
  const mappings = [
    { generate: 'email', extract: 'email' },
    { generate: 'phone', extract: 'phone' },
    { generate: 'externalId', extract: 'id' },
  ];
  return {
    text:
      `Create an integration "${name}" that moves customer records from ${source} to ${destination}. ` +
      `Read the customers from Shopify's API path ${relativeURI}. ` +
      'Mappings (NetSuite field <- Shopify field): email <- email, phone <- phone, externalId <- id. ' +
      'Use the existing connections, enable the flow and run it once to check it works.',
    facts: { name, recordType: 'customer', source, destination, relativeURI, mappings, enable: true },
  };
}

export const requests = {
  demo: { health, troubleshoot, create: create({ source: 'Shopify', destination: 'NetSuite Production' }) },
  // The large account has 20 Shopify and 40 NetSuite connections: the person names the ones to use.
  large: { health, troubleshoot, create: create({ source: 'Shopify 12', destination: 'NetSuite 12' }) },
};

for (const [seed, byFlow] of Object.entries(requests)) {
  for (const [flow, r] of Object.entries(byFlow)) {
    const strings = JSON.stringify(r.facts).match(/"[^"]*"/g).map((s) => JSON.parse(s));
    for (const s of strings) {
      const isKey = new RegExp(`"${s}":`).test(JSON.stringify(r.facts));
      if (!isKey && !r.text.includes(s)) throw new Error(`request ${seed}/${flow}: fact "${s}" is not in the words`);
    }
  }
}
