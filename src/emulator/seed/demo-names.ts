// Names the demo seed promises (README.md lists the facts tests may rely on).

/** Names the README promises. */
export const DEMO = {
  integrations: {
    shopify: 'Shopify - NetSuite Orders',
    salesforce: 'Salesforce - NetSuite Customers',
    ftp: 'NetSuite - FTP Inventory Export',
    zendesk: 'HTTP Webhooks - Zendesk to Salesforce',
    s3: 'Amazon S3 Archive',
    stripe: 'Stripe Payments to NetSuite',
    hubspot: 'HubSpot - Salesforce Leads',
  },
  brokenConnections: ['Salesforce - Integration User', 'NetSuite Sandbox'],
  offlineConnection: '3PL Partner SFTP',
  scopedConnections: ['Acme Warehouse SFTP', 'Amazon S3 - acme-archive'],
  failingIntegration: 'Salesforce - NetSuite Customers',
  degradedIntegration: 'HTTP Webhooks - Zendesk to Salesforce',
  mappingEditedFlow: 'Zendesk Users to Salesforce Contacts',
  /** Integration tags (each integration's one `tag` field, celigo-api.md W5). */
  tags: ['critical', 'finance', 'nightly'],
  /** Error tags: the /tags vocabulary, used to tag errors (not integrations). */
  errorTags: ['investigating', 'known issue', 'waiting on vendor', 'needs data fix'],
} as const;
