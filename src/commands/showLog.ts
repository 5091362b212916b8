import { Commands } from '../constants.ts';
import { noTarget } from './targets.ts';
import { defineCommand } from './types.ts';

export const showLog = defineCommand({
  id: Commands.showLog,
  changes: [],
  target: noTarget,
  run: ({ output }) => output.show(true),
});
