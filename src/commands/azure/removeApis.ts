import { Commands } from '../../constants.ts';
import type { CommandDefinition } from '../types.ts';
import { runGatewayApis } from './gatewayApis.ts';

/** Remove APIs from Gateway (multi-select of the assigned ones; run on an API item, that API is preselected). */
export const removeApis: CommandDefinition = { id: Commands.removeApis, run: (services, arg) => runGatewayApis(services, arg, 'remove') };
