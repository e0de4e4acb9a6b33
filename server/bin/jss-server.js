#!/usr/bin/env node
// The `jss-server` command: plain JavaScript that teaches Node to load TypeScript (tsx), then
// runs the CLI from source, so the private server package needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
