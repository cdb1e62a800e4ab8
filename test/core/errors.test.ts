// What a 404 tells the reader to do: list the resources; a name works where the tools take names, and
// never for jobs, which have none.
import { describe, expect, it } from 'vitest';
import { CeligoApiError } from '../../src/core/errors.js';

const notFound = (path: string) => new CeligoApiError({ status: 404, code: 'not_found', message: 'Not found', method: 'GET', path }).remedy;

describe('404 remedies', () => {
  it('name the list to read; names work for named resources, not for jobs', () => {
    expect(notFound('/v1/flows/abc')).toBe('The id is wrong or belongs to another account or environment; list the flows to find valid ids (names work too).');
    expect(notFound('/v1/integrations/abc?x=1')).toMatch(/list the integrations to find valid ids \(names work too\)\.$/);
    expect(notFound('/v1/jobs/abc')).toBe('The id is wrong or belongs to another account or environment; list the jobs to find valid ids.');
    expect(notFound('/v1/somethingelse/abc')).toBe('Check the id; list the resources to find valid ids.');
  });
});
