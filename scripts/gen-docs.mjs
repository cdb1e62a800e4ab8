// npm run docs: regenerate the README tool table and docs/emulator-coverage.md from the code.
import { readFileSync, writeFileSync } from 'node:fs';
import { catalogue } from '../dist/operations/catalogue.js';
import { updateReadme } from '../dist/docs/tool-table.js';
import { renderCoverageMarkdown } from '../dist/emulator/coverage.js';

const readme = readFileSync('README.md', 'utf8');
writeFileSync('README.md', updateReadme(readme, catalogue()));
writeFileSync('docs/emulator-coverage.md', renderCoverageMarkdown());
console.error('README.md tool table and docs/emulator-coverage.md regenerated.');
