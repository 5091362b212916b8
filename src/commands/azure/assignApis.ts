import { Commands } from '../../constants.ts';
import type { CommandDefinition } from '../types.ts';
import { runGatewayApis } from './gatewayApis.ts';

/** Assign APIs to Gateway (multi-select of the service's APIs not yet assigned). */
export const assignApis: CommandDefinition = { id: Commands.assignApis, run: (services, arg) => runGatewayApis(services, arg, 'assign') };
