import { Commands } from '../constants.ts';
import type { CommandDefinition } from './types.ts';

export const showLog: CommandDefinition = {
  id: Commands.showLog,
  run: ({ output }) => output.show(true),
};
