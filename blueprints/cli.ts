#!/usr/bin/env node
/** `govcloud-blueprint <command>` (package.json `bin`): the command line, with the default blueprint when no app is named. */
import { runCommandLineProcess } from '../lib/cli/entry';
import { app } from './main';

runCommandLineProcess({ name: 'the default blueprint', build: app });
