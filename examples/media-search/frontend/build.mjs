// Copies src/ into dist/, stamping the build into index.html: a stand-in
// for the team's bundler with no dependency to install.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist');
cpSync('src', 'dist', { recursive: true });
const page = readFileSync('dist/index.html', 'utf8');
writeFileSync('dist/index.html', page.replace('%BUILD%', 'media-search frontend'));
